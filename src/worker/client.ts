import type { BackendName } from '../engine/backend-names';
import type { ExampleView } from '../sim/examples';
import type { Config } from '../sim/params';
import { type RunTrace, decodeRun } from '../sim/trace';
import type { BackendInfo, FromWorker, RunId, StartedMessage, ToWorker, WorkerMemory } from './protocol';

export interface DecodedSnapshot {
  runId: RunId;
  t: number;
  done: boolean;
  paused: boolean;
  /** The rows of this snapshot only, decoded per run. */
  traces: Record<string, RunTrace>;
  stepsPerSecond: number | null;
}

export type ClientEvent =
  | { type: 'ready'; backend: BackendInfo }
  | { type: 'backend'; backend: BackendInfo }
  | { type: 'started'; runId: RunId; config: Config; runs: string[]; reused: string[]; small: Uint8Array; examples: ExampleView[] }
  | ({ type: 'snapshot' } & DecodedSnapshot)
  | { type: 'error'; runId: RunId | null; message: string };

export interface StartOptions {
  paused?: boolean;
  stepsPerSecond?: number | null;
}

function createEngineWorker(): Worker {
  return new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });
}

/**
 * The page's handle on the training worker. It numbers runs, drops every message from a run that is
 * no longer current, decodes snapshots, and coalesces bursts of starts (a slider dragged a hundred
 * times a second): while the worker has not acknowledged one start, only the latest waits.
 */
export class TrainingClient {
  private readonly worker: Worker;
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
    options: { backend?: BackendName | null; createWorker?: () => Worker } = {},
  ) {
    this.worker = (options.createWorker ?? createEngineWorker)();
    this.worker.onmessage = (event: MessageEvent<FromWorker>) => this.receive(event.data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.listener({ type: 'error', runId: null, message: `the training worker failed: ${event.message || 'it could not load'}` });
    };
    this.worker.onmessageerror = () => this.listener({ type: 'error', runId: this.runId, message: 'a message from the worker could not be read' });
    this.send({ type: 'init', backend: options.backend ?? null });
  }

  /** Start a new pair of runs; returns its id. Whatever ran before is abandoned. */
  start(config: Config, options: StartOptions = {}): RunId {
    const runId = this.nextRunId++;
    this.runId = runId;
    this.started = null;
    if (options.stepsPerSecond !== undefined) this.speed = options.stepsPerSecond;
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
    return config ? this.start(config, options) : null;
  }

  pause(): void {
    this.toRun((runId) => ({ type: 'pause', runId }));
  }

  resume(): void {
    this.toRun((runId) => ({ type: 'resume', runId }));
  }

  step(steps: number): void {
    this.toRun((runId) => ({ type: 'step', runId, steps }));
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
    this.send({ type: 'start', runId, config, paused: options.paused ?? false, stepsPerSecond: this.speed });
  }

  private send(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  private receive(message: FromWorker): void {
    switch (message.type) {
      case 'ready':
      case 'backend':
        this.listener(message);
        return;
      case 'started': {
        this.releaseQueue();
        if (message.runId !== this.runId) return;
        this.started = message;
        const { runId, config, runs, reused, small, examples } = message;
        this.listener({ type: 'started', runId, config, runs, reused, small, examples });
        return;
      }
      case 'snapshot': {
        if (message.runId !== this.runId || !this.started) return;
        const { m } = this.started.config;
        const small = this.started.small;
        const traces = Object.fromEntries(
          Object.entries(message.rows).map(([name, rows]) => [name, decodeRun(rows, message.ts, 0, 1, m, small)]),
        );
        const { runId, t, done, paused, stepsPerSecond } = message;
        this.listener({ type: 'snapshot', runId, t, done, paused, traces, stepsPerSecond });
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
