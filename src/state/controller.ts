import type { ClientEvent } from '../worker/client';
import { TrainingClient } from '../worker/client';
import { pageBackend, useParams } from './params';
import { type TrainingState, reduceTraining, useTraining } from './training';

/**
 * Redraws while training at most this often. Snapshots arrive every ~40 ms; on a machine without a
 * GPU every repaint takes CPU from the worker, and numbers changing faster than this are unreadable.
 */
const REDRAW_MS = 125;

let pending: ClientEvent[] = [];
let timer: ReturnType<typeof setTimeout> | null = null;
let lastFlush = 0;

function flush(): void {
  if (timer !== null) clearTimeout(timer);
  timer = null;
  const events = pending;
  pending = [];
  lastFlush = performance.now();
  if (events.length) useTraining.setState((state) => events.reduce<TrainingState>(reduceTraining, state), true);
}

/**
 * Every worker event reaches the store, in order. Routine snapshots are batched; anything a reader
 * waits for - a new run, its first numbers, a pause, the end, an error - is drawn at once.
 */
function receive(event: ClientEvent): void {
  pending.push(event);
  const routine = event.type === 'snapshot' && !event.done && !event.paused && useTraining.getState().traces.gd?.rows.length;
  if (!routine) return flush();
  if (timer === null) timer = setTimeout(flush, Math.max(0, lastFlush + REDRAW_MS - performance.now()));
}

/**
 * Wires the parameter store to the training worker: every configuration change starts a new pair
 * of runs, and every worker event lands in the training store. The only module that owns a client.
 */
let client: TrainingClient | null = null;

export function connectTraining(): () => void {
  client = new TrainingClient(receive, { backend: pageBackend });
  client.start(useParams.getState().config);
  const unsubscribe = useParams.subscribe((state, previous) => {
    if (state.config !== previous.config) client?.start(state.config);
  });
  return () => {
    unsubscribe();
    client?.dispose();
    client = null;
  };
}

export const training = {
  pause: () => client?.pause(),
  resume: () => client?.resume(),
  step: (steps: number) => client?.step(steps),
  reset: () => client?.reset(),
  setSpeed: (stepsPerSecond: number | null) => client?.setSpeed(stepsPerSecond),
};
