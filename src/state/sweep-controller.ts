import type { BackendName } from '../engine/backend-names';
import type { Config } from '../sim/params';
import { DEFAULT_GRID, sweepKey } from '../sim/sweep';
import { SweepClient } from '../worker/sweep-client';
import { pageBackend, setParams, useParams } from './params';
import { loadPrecomputedSweep } from './precomputed-sweep';
import { dispatchSweep, useSweep } from './sweep';
import { useTraining } from './training';

/**
 * Keeps the phase map in step with the view: the map belongs to every parameter except gamma and
 * beta, so moving those two only moves the marker. Any other change cancels the map in progress and
 * asks for a new one: the precomputed map where the parameters are the defaults, else a sweep in
 * the sweep worker. The sweep trains only while the live runs do not (it holds between chunks
 * while they train), so the two never compete for the CPU and the live controls stay quick.
 * The sweep worker is created on first need: the default page never loads it.
 */
let client: SweepClient | null = null;
let connection = 0;
/** The key whose precomputed map is being fetched: no sweep starts for it meanwhile. */
let fetching: string | null = null;
/** The backend the sweep worker reported (it may have fallen back from the one asked for). */
let workerBackend: string | null = null;

const liveBusy = () => {
  const status = useTraining.getState().status;
  return status === 'running' || status === 'starting';
};

function ensureClient(): SweepClient {
  // The backend the live worker settled on (it knows whether this GPU is worth it).
  const backend: BackendName = useTraining.getState().backend?.name ?? pageBackend ?? 'wasm';
  client ??= new SweepClient(
    (event) => {
      if (event.type === 'ready') {
        workerBackend = event.backend;
        return dispatchSweep({ type: 'started', backend: event.backend, at: performance.now() });
      }
      if (event.type === 'error') {
        // A worker that failed as a whole is replaced on the next start ("Compute again").
        if (event.sweepId === null) dropClient();
        return dispatchSweep({ type: 'error', message: event.message });
      }
      const { t, T, done, ts, rows, runStepsPerSecond } = event;
      dispatchSweep({ type: 'progress', t, T, done, ts, rows, runStepsPerSecond, at: performance.now() });
    },
    { backend },
  );
  return client;
}

/** Start the queued sweep once the live runs are done with the CPU. */
function startWhenIdle(): void {
  const state = useSweep.getState();
  if (state.status !== 'waiting' || !state.trace || state.key === fetching || liveBusy()) return;
  const fresh = client === null;
  const c = ensureClient();
  c.start(state.trace.base, state.trace.grid);
  // A fresh worker reports 'ready' (which marks the start); a warm one starts at once.
  if (!fresh) dispatchSweep({ type: 'started', backend: workerBackend ?? c.backend, at: performance.now() });
}

function dropClient(): void {
  client?.dispose();
  client = null;
  workerBackend = null;
}

function queue(config: Config): void {
  client?.cancel();
  dispatchSweep({ type: 'queued', key: sweepKey(config), base: config, grid: DEFAULT_GRID });
  startWhenIdle();
}

/** Show the map for `config`'s parameters: precomputed if there is one, else computed here. */
function retarget(config: Config, id: number): void {
  const key = sweepKey(config);
  client?.cancel();
  fetching = key;
  dispatchSweep({ type: 'queued', key, base: config, grid: DEFAULT_GRID });
  void loadPrecomputedSweep(config).then((found) => {
    if (fetching === key) fetching = null;
    if (id !== connection || useSweep.getState().key !== key || useSweep.getState().status !== 'waiting') return;
    if (found) dispatchSweep({ type: 'precomputed', key, ...found });
    else startWhenIdle();
  });
}

export function connectSweep(): () => void {
  const id = ++connection;
  retarget(useParams.getState().config, id);
  const offParams = useParams.subscribe((state, previous) => {
    if (state.config !== previous.config && sweepKey(state.config) !== useSweep.getState().key) retarget(state.config, id);
  });
  const offTraining = useTraining.subscribe((state, previous) => {
    if (state.status === previous.status) return;
    const sweep = useSweep.getState();
    if (liveBusy()) {
      if (sweep.status === 'running') {
        client?.pause();
        dispatchSweep({ type: 'paused' });
      }
    } else if (sweep.status === 'paused') {
      client?.resume();
      dispatchSweep({ type: 'resumed' });
    } else startWhenIdle();
  });
  return () => {
    offParams();
    offTraining();
    if (id === connection) connection++;
    dropClient();
  };
}

export const sweep = {
  /** Compute the current map in this browser (also where a precomputed one exists). */
  computeHere: () => {
    fetching = null;
    queue(useParams.getState().config);
  },
  /** Load a cell of the map into the live view: gamma and beta at once, one new pair of runs. */
  pick: (gamma: number, beta: number) => setParams({ gamma, beta }),
};
