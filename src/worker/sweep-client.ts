import type { BackendName } from '../engine/backend-names';
import type { Config } from '../sim/params';
import type { SweepGrid } from '../sim/sweep';
import type { FromSweepWorker, SweepId, ToSweepWorker } from './sweep-protocol';

export type SweepEvent = FromSweepWorker;

function createSweepWorker(): Worker {
  return new Worker(new URL('./sweep.worker.ts', import.meta.url), { type: 'module' });
}

/**
 * The page's handle on the sweep worker: numbers sweeps and drops every message of a sweep that is
 * no longer current, so a cancelled map can never be drawn.
 */
export class SweepClient {
  private readonly worker: Worker;
  private nextId = 1;
  private current: SweepId | null = null;
  /** The backend asked for; the worker may fall back from it. */
  readonly backend: BackendName;

  constructor(
    private readonly listener: (event: SweepEvent) => void,
    options: { backend: BackendName; createWorker?: () => Worker },
  ) {
    this.backend = options.backend;
    this.worker = (options.createWorker ?? createSweepWorker)();
    this.worker.onmessage = (event: MessageEvent<FromSweepWorker>) => this.receive(event.data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.listener({ type: 'error', sweepId: null, message: `the sweep worker failed: ${event.message || 'it could not load'}` });
    };
    this.send({ type: 'init', backend: options.backend });
  }

  start(base: Config, grid: SweepGrid, paused = false): SweepId {
    const sweepId = this.nextId++;
    this.current = sweepId;
    this.send({ type: 'start', sweepId, base, grid });
    if (paused) this.send({ type: 'pause', sweepId });
    return sweepId;
  }

  cancel(): void {
    if (this.current !== null) this.send({ type: 'cancel', sweepId: this.current });
    this.current = null;
  }

  pause(): void {
    if (this.current !== null) this.send({ type: 'pause', sweepId: this.current });
  }

  resume(): void {
    if (this.current !== null) this.send({ type: 'resume', sweepId: this.current });
  }

  get currentId(): SweepId | null {
    return this.current;
  }

  dispose(): void {
    this.worker.terminate();
  }

  private send(message: ToSweepWorker): void {
    this.worker.postMessage(message);
  }

  private receive(message: FromSweepWorker): void {
    if (message.type === 'ready') return this.listener(message);
    if (message.sweepId !== null && message.sweepId !== this.current) return;
    if (message.type === 'progress' && message.done) this.current = null;
    this.listener(message);
  }
}
