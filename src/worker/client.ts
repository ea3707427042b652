import type { BackendName } from '../engine/backend-names';
import type { RunDivergence } from '../sim/divergence';
import type { ExampleView } from '../sim/examples';
import type { Config } from '../sim/params';
import type { RunChoice, RunName } from '../sim/runs';
import { type RunTrace, decodeRun, rowLayout } from '../sim/trace';
import type { BackendInfo, DebugAction, FromWorker, RunId, SeedMessage, StartedMessage, ToWorker, WorkerMemory } from './protocol';

export interface DecodedSnapshot {
  runId: RunId;
  t: number;
  done: boolean;
  paused: boolean;
  /** The rows of this snapshot only, decoded per run. */
  traces: Record<string, RunTrace>;
  stepsPerSecond: number | null;
  /** Runs frozen where they diverged (their traces end before that step), with the cause. */
  diverged?: Record<string, RunDivergence>;
}

export type ClientEvent =
  | { type: 'ready'; backend: BackendInfo }
  | { type: 'backend'; backend: BackendInfo }
  | { type: 'started'; runId: RunId; config: Config; runs: RunName[]; lineup: RunChoice[]; reused: RunName[]; small: Uint8Array; examples: ExampleView[] }
  | ({ type: 'snapshot' } & DecodedSnapshot)
  /** One seed's summary (the focus seed's first, then the others as the background trains them). */
  | SeedMessage
  | { type: 'error'; runId: RunId | null; message: string }
  /** The worker crashed or threw; a new one took over and the current run started again from its seed. */
  | { type: 'restarted'; message: string };

export interface StartOptions {
  paused?: boolean;
  stepsPerSecond?: number | null;
  /** The runs (sim/lineup.ts), gd and gdm first; absent: the pair (reset: the lineup it resets). */
  lineup?: RunChoice[];
}

function createEngineWorker(): Worker {
  return new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });
}

/**
 * A worker silent this long (it answers pings at once, even mid-backend-start) has died: a worker
 * that closes or is killed fires no event. Long enough for the slowest synchronous stretch seen
 * (WebGL shader compilation on a software rasterizer takes seconds).
 */
const HEARTBEAT_MS = 20_000;
/** Restarts allowed within a minute: a worker that dies on every start is reported, not looped. */
const MAX_RESTARTS = 3;

export interface ClientOptions {
  backend?: BackendName | null;
  /** Training threads (?threads=), null or absent: the worker's choice. */
  threads?: 1 | 2 | null;
  createWorker?: () => Worker;
  /** Silence (ms) after which the worker counts as crashed; null: no heartbeat. */
  heartbeatMs?: number | null;
}

/**
 * The page's handle on the training worker. It numbers runs, drops every message from a run that is
 * no longer current, decodes snapshots, and coalesces bursts of starts (a slider dragged a hundred
 * times a second): while the worker has not acknowledged one start, only the latest waits.
 */
export class TrainingClient {
  private worker!: Worker;
  /** The current worker has answered init: a failure after this is a crash worth a restart. */
  private workerReady = false;
  private lastHeard = 0;
  private watch: ReturnType<typeof setInterval> | null = null;
  private restarts: number[] = [];
  private disposed = false;
  /** The run the page asked for last, to start again on a new worker. */
  private current: { runId: RunId; config: Config; paused: boolean; lineup?: RunChoice[] } | null = null;
  private nextRunId = 1;
  /** The run the page shows; messages of any other run are dropped. */
  private runId: RunId | null = null;
  private started: StartedMessage | null = null;
  private awaitingStart = false;
  private queued: { runId: RunId; config: Config; options: StartOptions; controls: ToWorker[] } | null = null;
  private speed: number | null = null;
  /** Memory requests waiting for the worker's answer, by id. */
  private readonly memoryAsks = new Map<number, (memory: WorkerMemory) => void>();
  private nextAsk = 1;

  constructor(
    private readonly listener: (event: ClientEvent) => void,
    private readonly options: ClientOptions = {},
  ) {
    this.spawn();
  }

  private spawn(): void {
    const worker = (this.options.createWorker ?? createEngineWorker)();
    this.worker = worker;
    this.workerReady = false;
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      if (worker !== this.worker) return;
      this.lastHeard = Date.now();
      this.receive(event.data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      if (worker !== this.worker) return;
      // Before 'ready' the worker could not load or start: restarting would fail the same way.
      if (this.workerReady) this.crash(`threw an uncaught error (${event.message || 'no message'})`);
      else this.listener({ type: 'error', runId: null, message: `the training worker failed: ${event.message || 'it could not load'}` });
    };
    worker.onmessageerror = () => this.listener({ type: 'error', runId: this.runId, message: 'a message from the worker could not be read' });
    this.send({ type: 'init', backend: this.options.backend ?? null, threads: this.options.threads ?? null });
  }

  /** Every few seconds of silence, a ping; a worker that stays silent past the limit has died. */
  private startWatch(): void {
    const limit = this.options.heartbeatMs === undefined ? HEARTBEAT_MS : this.options.heartbeatMs;
    if (limit === null || this.watch !== null) return;
    this.lastHeard = Date.now();
    let lastTick = Date.now();
    this.watch = setInterval(() => {
      const now = Date.now();
      // A late tick means this page was blocked (or throttled): the worker's answers may still be queued.
      if (now - lastTick > limit / 2) this.lastHeard = now;
      lastTick = now;
      const silent = now - this.lastHeard;
      if (silent > limit) this.crash(`stopped answering (silent for ${Math.round(silent / 1000)} s)`);
      else if (silent > limit / 3) this.send({ type: 'ping' });
    }, limit / 3);
  }

  private stopWatch(): void {
    if (this.watch !== null) clearInterval(this.watch);
    this.watch = null;
  }

  /** The worker died or threw: replace it and start the current run again (deterministic from its seed). */
  private crash(what: string): void {
    if (this.disposed) return;
    this.stopWatch();
    this.worker.terminate();
    const now = Date.now();
    this.restarts = this.restarts.filter((at) => now - at < 60_000);
    if (this.restarts.length >= MAX_RESTARTS) {
      this.listener({ type: 'error', runId: null, message: `the training worker ${what}, ${MAX_RESTARTS + 1} times within a minute; reload the page to try again` });
      return;
    }
    this.restarts.push(now);
    // Whatever the old worker had queued or was about to answer is gone with it.
    this.awaitingStart = false;
    this.queued = null;
    this.spawn();
    const run = this.current;
    this.listener({ type: 'restarted', message: `The training worker ${what}; a new one took over${run ? ' and the run started again from step 0' : ''}.` });
    if (run && run.runId === this.runId) {
      this.started = null;
      this.sendStart(run.runId, run.config, { paused: run.paused, lineup: run.lineup });
    }
    // Memory asked of the old worker is asked of the new one (the old one will never answer).
    for (const id of this.memoryAsks.keys()) this.send({ type: 'memory', id });
  }

  /** Test hooks (a page opened with ?debug=1): make the worker fail in one of the ways it can. */
  debug(action: DebugAction): void {
    this.send({ type: 'debug', action });
  }

  /** Start a new pair of runs; returns its id. Whatever ran before is abandoned. */
  start(config: Config, options: StartOptions = {}): RunId {
    const runId = this.nextRunId++;
    this.runId = runId;
    this.started = null;
    if (options.stepsPerSecond !== undefined) this.speed = options.stepsPerSecond;
    this.current = { runId, config, paused: options.paused ?? false, lineup: options.lineup };
    if (this.awaitingStart) {
      this.queued = { runId, config, options, controls: [] };
    } else {
      this.sendStart(runId, config, options);
    }
    return runId;
  }

  /** The same configuration from step 0. */
  reset(options: StartOptions = {}): RunId | null {
    const config = this.started?.config ?? this.queued?.config;
    const lineup = options.lineup ?? this.started?.lineup ?? this.queued?.options.lineup;
    return config ? this.start(config, { ...options, lineup }) : null;
  }

  pause(): void {
    this.setPaused(true);
    this.toRun((runId) => ({ type: 'pause', runId }));
  }

  resume(): void {
    this.setPaused(false);
    this.toRun((runId) => ({ type: 'resume', runId }));
  }

  step(steps: number): void {
    this.setPaused(true);
    this.toRun((runId) => ({ type: 'step', runId, steps }));
  }

  private setPaused(paused: boolean): void {
    if (this.current) this.current.paused = paused;
  }

  setSpeed(stepsPerSecond: number | null): void {
    this.speed = stepsPerSecond;
    this.toRun((runId) => ({ type: 'speed', runId, stepsPerSecond }));
  }

  /** What the worker holds (tfjs tensors, GD cache), once the chunk in flight is done: for tests and ?debug=1. */
  memory(): Promise<WorkerMemory> {
    const id = this.nextAsk++;
    return new Promise((resolve) => {
      this.memoryAsks.set(id, resolve);
      this.send({ type: 'memory', id });
    });
  }

  get currentRunId(): RunId | null {
    return this.runId;
  }

  dispose(): void {
    this.disposed = true;
    this.stopWatch();
    this.worker.terminate();
  }

  private toRun(make: (runId: RunId) => ToWorker): void {
    if (this.runId === null) return;
    // A queued start has not reached the worker yet: its controls follow it, in order.
    if (this.queued?.runId === this.runId) this.queued.controls.push(make(this.runId));
    else this.send(make(this.runId));
  }

  private sendStart(runId: RunId, config: Config, options: StartOptions): void {
    this.awaitingStart = true;
    this.send({ type: 'start', runId, config, ...(options.lineup ? { lineup: options.lineup } : {}), paused: options.paused ?? false, stepsPerSecond: this.speed });
  }

  private send(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  private receive(message: FromWorker): void {
    switch (message.type) {
      case 'pong':
        return;
      case 'ready':
        this.workerReady = true;
        this.startWatch();
        this.listener(message);
        return;
      case 'backend':
        this.listener(message);
        return;
      case 'started': {
        this.releaseQueue();
        if (message.runId !== this.runId) return;
        this.started = message;
        const { runId, config, runs, lineup, reused, small, examples } = message;
        this.listener({ type: 'started', runId, config, runs, lineup, reused, small, examples });
        return;
      }
      case 'seed':
        if (message.runId === this.runId) this.listener(message);
        return;
      case 'snapshot': {
        if (message.runId !== this.runId || !this.started) return;
        const { m } = this.started.config;
        const small = this.started.small;
        const L = rowLayout(m, small.length).length;
        // A run frozen where it diverged sends the first rows of ts only (or none).
        const traces = Object.fromEntries(
          Object.entries(message.rows).map(([name, rows]) => [name, decodeRun(rows, message.ts.slice(0, rows.length / L), 0, 1, m, small)]),
        );
        const { runId, t, done, paused, stepsPerSecond, diverged } = message;
        this.listener({ type: 'snapshot', runId, t, done, paused, traces, stepsPerSecond, ...(diverged ? { diverged } : {}) });
        return;
      }
      case 'memory': {
        const { id, numTensors, numBytes, numDataBuffers, gdCacheFloats } = message;
        this.memoryAsks.get(id)?.({ numTensors, numBytes, numDataBuffers, gdCacheFloats });
        this.memoryAsks.delete(id);
        return;
      }
      case 'error':
        if (message.runId === null || message.runId === this.runId) {
          // A rejected start never gets 'started': let the next one through.
          if (message.runId !== null) this.releaseQueue();
          this.listener(message);
        } else {
          this.releaseQueue();
        }
        return;
    }
  }

  /** The worker has answered a start (or refused it): send the latest queued one, if any. */
  private releaseQueue(): void {
    this.awaitingStart = false;
    if (!this.queued) return;
    const { runId, config, options, controls } = this.queued;
    this.queued = null;
    this.sendStart(runId, config, options);
    for (const control of controls) this.send(control);
  }
}
