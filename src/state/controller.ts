import type { PrecomputedRun } from '../sim/precomputed';
import { TrainingClient } from '../worker/client';
import type { SeedMessage } from '../worker/protocol';
import { debugHooks, pageMemory } from './debug';
import { firstPaint } from './first-paint';
import { pageBackend, pageThreads, useParams } from './params';
import { isDefaultConfig, loadPrecomputed, loadPrecomputedDetail, loadPrecomputedSeeds } from './precomputed';
import { PRECOMPUTED_RUN_ID, type TrainingEvent, type TrainingState, reduceTraining, useTraining } from './training';
import { usePlayback } from './playback';

/**
 * Redraws while training at most this often. Snapshots arrive every ~40 ms; on a machine without a
 * GPU every repaint takes CPU from the worker, and numbers changing faster than this are unreadable.
 */
const REDRAW_MS = 125;

let pending: TrainingEvent[] = [];
let timer: ReturnType<typeof setTimeout> | null = null;
let frame: number | null = null;
let lastFlush = 0;

function flush(): void {
  if (timer !== null) clearTimeout(timer);
  if (frame !== null) cancelAnimationFrame(frame);
  timer = null;
  frame = null;
  // A snapshot held back for the next redraw is dropped if a new run started meanwhile: after a
  // change of configuration, nothing more of the old run is drawn.
  const events = pending.filter((e) => e.type !== 'snapshot' || e.runId === client?.currentRunId);
  pending = [];
  lastFlush = performance.now();
  if (events.length) useTraining.setState((state) => events.reduce<TrainingState>(reduceTraining, state), true);
}

/**
 * Every worker event reaches the store, in order. Routine snapshots are batched; anything a reader
 * waits for - a new run, its first numbers, a pause, the end, an error - is drawn at once.
 */
function receive(event: TrainingEvent): void {
  pending.push(event);
  const routine = event.type === 'snapshot' && !event.done && !event.paused && useTraining.getState().traces.gd?.rows.length;
  if (!routine) return flush();
  if (timer !== null || frame !== null) return;
  // At the start of a frame, not in the middle of one: the redraw then has the whole frame's budget.
  const atFrame = () => {
    timer = null;
    // A hidden tab runs no frames: there the store still takes the snapshots (they would pile up).
    if (typeof requestAnimationFrame !== 'function' || (typeof document !== 'undefined' && document.hidden)) return flush();
    frame = requestAnimationFrame(flush);
  };
  timer = setTimeout(atFrame, Math.max(0, lastFlush + REDRAW_MS - performance.now()));
}

/**
 * Wires the parameter store to the training worker: every configuration change starts a new pair
 * of runs, and every worker event lands in the training store. The only module that owns a client.
 *
 * Instant start: when the page opens on the default configuration with no forced backend, the run
 * computed at build time is fetched and shown instead of training it again; the worker starts once
 * that is drawn (warm, so as not to compete for the CPU with the first paint), and the first change
 * or Reset trains live. If the fetch fails, the page trains live.
 */
let client: TrainingClient | null = null;
/** Whether a live run has been asked for since the page opened. */
let live = false;
/** The current connection; a stale one (React's StrictMode mounts twice) acts on nothing. */
let connection = 0;

/**
 * The precomputed run for the configuration the page opened with, fetched once the static first
 * paint is on screen (first-paint.ts), before React's first render, not after it. Not in tests:
 * there is nothing to fetch.
 */
const prefetched: Promise<PrecomputedRun | null> | null =
  import.meta.env.MODE === 'test' || pageBackend ? null : firstPaint.then(() => loadPrecomputed(useParams.getState().config));

function ensureClient(): TrainingClient {
  client ??= new TrainingClient(receive, { backend: pageBackend, threads: pageThreads });
  return client;
}

/**
 * The precomputed full rows' fetch in flight: a live run makes them useless (they are shown only
 * while nothing live is), so it aborts them. A press on Reset or a slider is what asks for them
 * (pointerdown, before the click): their download (1.1 MB gzipped) and decode (11-16 ms in Node
 * here) otherwise ran while the first live run trained, for nothing.
 */
let detailFetch: AbortController | null = null;

function startLive(): void {
  live = true;
  detailFetch?.abort();
  detailFetch = null;
  const { config, lineup } = useParams.getState();
  ensureClient().start(config, { lineup });
}

/**
 * `value`, a task later: the precomputed run's decode and the page's first render with it were one
 * task (the decode resolves a promise, the render runs in its microtasks): 120 ms on this machine,
 * a blocking half second at a phone's speed. Two tasks block less, and a frame may come between.
 */
function nextTask<T>(value: T): Promise<T> {
  return new Promise((done) => setTimeout(() => done(value), 0));
}

/** After the next paint: the first figure is on screen before the worker's start takes CPU. */
function afterPaint(then: () => void): void {
  if (typeof requestAnimationFrame === 'undefined') setTimeout(then, 0);
  else requestAnimationFrame(() => setTimeout(then, 0));
}

/**
 * Once the first view is drawn and the page has settled (after its paint, half a second, then an
 * idle moment): the background work that the first view does not need - the full rows, the
 * worker's code and wasm - neither competes with it for the network nor for the main thread.
 * A change of parameters meanwhile starts the worker at once (startLive).
 */
function afterSettled(then: () => void): void {
  afterPaint(() =>
    setTimeout(() => {
      if (typeof requestIdleCallback === 'function') requestIdleCallback(then, { timeout: 1500 });
      else then();
    }, 500),
  );
}

/**
 * The precomputed run's full rows (a megabyte gzipped) only bring the per-example parts of the rows
 * the first view does not draw: they are needed once the shown step moves (a scrub, a replay, a
 * scene) or something is exported. So they are fetched at the first sign of that - any change of
 * the playback state, any pointer or key press on the page - or after this long regardless, not
 * while a phone is still busy with the first view (measured: their decode and redraw were about
 * 300 ms of main thread at a phone's speed, and their download alone takes five seconds of slow 4G).
 */
const DETAIL_IDLE_MS = 8000;
const DETAIL_EVENTS = ['pointerdown', 'keydown'] as const;

/** Call `then` once, at the first sign that more than the first view is wanted; returns a cancel. */
function whenDetailWanted(then: () => void): () => void {
  let done = false;
  const fire = () => {
    if (done) return;
    cancel();
    then();
  };
  const timer = setTimeout(fire, DETAIL_IDLE_MS);
  // The shown step, the scene or a replay: what the figures show moved (not any write to the store).
  const unsubscribe = usePlayback.subscribe((now, before) => {
    if (now.pinned !== before.pinned || now.scene !== before.scene || now.replaying !== before.replaying) fire();
  });
  if (typeof window !== 'undefined') for (const type of DETAIL_EVENTS) window.addEventListener(type, fire, { capture: true, passive: true });
  function cancel() {
    done = true;
    clearTimeout(timer);
    unsubscribe();
    if (typeof window !== 'undefined') for (const type of DETAIL_EVENTS) window.removeEventListener(type, fire, { capture: true });
  }
  return cancel;
}

/**
 * `eagerDetail`: fetch the full rows as soon as the first view has settled, for views that play
 * through the steps by themselves (present mode, autoplaying embeds). `seeds: false`: no figure
 * shown draws the other seeds (an embed of one that does not): skip their precomputed summaries.
 */
export function connectTraining({ eagerDetail = false, seeds: wantSeeds = true }: { eagerDetail?: boolean; seeds?: boolean } = {}): () => void {
  const id = ++connection;
  live = false;
  let cancelDetail = () => {};
  // The precomputed run is the default pair: what-ifs train live.
  if (pageBackend || !isDefaultConfig(useParams.getState().config) || useParams.getState().lineup.length > 2) startLive();
  else {
    void (prefetched ?? loadPrecomputed(useParams.getState().config)).then(nextTask).then((run) => {
      if (id !== connection || live) return;
      if (!run) return startLive();
      performance.mark?.('precomputed-received');
      receive({ type: 'precomputed', run });
      afterSettled(() => {
        if (id !== connection) return;
        // The other seeds' summaries (small), then the worker; the full rows when wanted.
        if (wantSeeds) void loadPrecomputedSeeds(run).then((seeds) => {
          if (!seeds || id !== connection || live) return;
          // All five in one store update: one redraw, not five.
          pending.push(...seeds.map((s): TrainingEvent => ({ type: 'seed', runId: PRECOMPUTED_RUN_ID, seed: s.seed, ts: s.ts, summary: s.summary as SeedMessage['summary'] })));
          flush();
        });
        ensureClient();
        const detail = () => {
          if (live) return;
          const fetching = (detailFetch = new AbortController());
          void loadPrecomputedDetail(run, undefined, fetching.signal).then((full) => {
            if (detailFetch === fetching) detailFetch = null;
            if (full && full !== run && id === connection && !live) receive({ type: 'precomputed', run: full });
          });
        };
        // A link to a step or a scene (?t=, ?scene=) shows a row the first view may lack: at once then.
        const { pinned, scene } = usePlayback.getState();
        if (eagerDetail || pinned !== null || scene !== null) detail();
        else cancelDetail = whenDetailWanted(detail);
      });
    });
  }
  const hooks = debugHooks();
  if (hooks) {
    hooks.memory = () => pageMemory(client?.memory() ?? null);
    // Forced failures in the worker (protocol.ts DebugAction), for the browser tests.
    hooks.loseContext = () => client?.debug('lose-context');
    hooks.throwError = () => client?.debug('throw');
    hooks.crash = () => client?.debug('crash');
  }
  const unsubscribe = useParams.subscribe((state, previous) => {
    if (state.config !== previous.config || state.lineup !== previous.lineup) startLive();
  });
  return () => {
    unsubscribe();
    cancelDetail();
    if (id === connection) connection++;
    client?.dispose();
    client = null;
  };
}

export const training = {
  pause: () => client?.pause(),
  resume: () => client?.resume(),
  step: (steps: number) => client?.step(steps),
  /** The same configuration from step 0; from the precomputed run: its first live run. */
  reset: () => (live ? client?.reset() : startLive()),
  setSpeed: (stepsPerSecond: number | null) => client?.setSpeed(stepsPerSecond),
};
