import { SweepTrainer, blockRows } from '../engine/sweep';
import { type Config, PARAMS } from '../sim/params';
import { type SweepGrid, checkGrid } from '../sim/sweep';
import { validateConfig } from '../sim/validate';
import type { FromSweepWorker, SweepId, ToSweepWorker } from './sweep-protocol';
import { yieldToMessages } from './yield';

/** Wall time of one chunk: long enough to amortize a readback, short enough to cancel promptly. */
const CHUNK_MS = 100;

interface ActiveSweep {
  sweepId: SweepId;
  trainer: SweepTrainer;
  paused: boolean;
  looping: boolean;
  /** Steps per chunk, adapted to CHUNK_MS. */
  chunk: number;
  /** Training time so far (ms), pauses excluded. */
  busyMs: number;
}

const bounds = (key: 'gamma' | 'beta'): [number, number] => {
  const spec = PARAMS.find((p) => p.key === key);
  return spec && spec.kind !== 'enum' ? [spec.min, spec.max] : [0, 0];
};

/**
 * The sweep worker's state: at most one (gamma, beta) grid, trained in chunks and streamed as
 * progress. Platform-free (no worker globals) so it runs under Node in tests.
 */
export class SweepSession {
  private active: ActiveSweep | null = null;

  constructor(
    private readonly post: (message: FromSweepWorker, transfer?: Transferable[]) => void,
    private readonly backend: () => string,
  ) {}

  handle(message: ToSweepWorker): void {
    if (message.type === 'init') return;
    if (message.type === 'start') return this.start(message.sweepId, message.base, message.grid);
    const active = this.active;
    if (!active || active.sweepId !== message.sweepId) return;
    if (message.type === 'cancel') this.stop();
    else if (message.type === 'pause') active.paused = true;
    else if (message.type === 'resume' && active.paused) {
      active.paused = false;
      void this.loop(active);
    }
  }

  private start(sweepId: SweepId, input: Config, grid: SweepGrid): void {
    this.stop();
    const checked = validateConfig(input as unknown as Record<string, unknown>);
    const problem = checked.ok ? checkGrid(grid, { gamma: bounds('gamma'), beta: bounds('beta') }) : checked.issues.map((i) => `${i.key} ${i.message}`).join('; ');
    if (!checked.ok || problem) {
      this.post({ type: 'error', sweepId, message: problem ?? 'invalid sweep' });
      return;
    }
    const { m, P, N } = checked.config;
    let trainer: SweepTrainer;
    try {
      trainer = new SweepTrainer(checked.config, grid, { blockRows: blockRows(this.backend(), m, P, N, checked.config.Ntest) });
    } catch (error) {
      this.post({ type: 'error', sweepId, message: `the sweep could not start: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    this.active = { sweepId, trainer, paused: false, looping: false, chunk: 5, busyMs: 0 };
    void this.loop(this.active);
  }

  private stop(): void {
    try {
      this.active?.trainer.dispose();
    } catch {
      // a lost backend cannot free its tensors; they went with it
    }
    this.active = null;
  }

  private async loop(active: ActiveSweep): Promise<void> {
    if (active.looping) return;
    active.looping = true;
    try {
      while (this.active === active && !active.paused && !active.trainer.done) {
        const started = performance.now();
        const { trainer } = active;
        let progress: { ts: number[]; rows: Float32Array };
        try {
          trainer.advance(active.chunk);
          progress = await trainer.collect();
        } catch (error) {
          if (this.active !== active) return;
          this.stop();
          this.post({ type: 'error', sweepId: active.sweepId, message: `the sweep failed: ${error instanceof Error ? error.message : String(error)}` });
          return;
        }
        if (this.active !== active) return;
        const elapsed = performance.now() - started;
        active.busyMs += elapsed;
        active.chunk = Math.max(1, Math.min(500, Math.round((active.chunk * CHUNK_MS) / Math.max(1, elapsed))));
        const runSteps = trainer.runCount * trainer.t;
        this.post(
          {
            type: 'progress',
            sweepId: active.sweepId,
            t: trainer.t,
            T: trainer.T,
            done: trainer.done,
            ts: progress.ts,
            rows: progress.rows,
            runStepsPerSecond: active.busyMs > 0 ? (runSteps / active.busyMs) * 1000 : null,
          },
          [progress.rows.buffer],
        );
        if (trainer.done) this.stop();
        else await yieldToMessages();
      }
    } finally {
      active.looping = false;
    }
  }

  dispose(): void {
    this.stop();
  }
}
