/**
 * Messages between the page and the sweep worker (the phase diagram). A worker of its own: the live
 * pair of runs keeps its worker and its controls while a map trains, on the machine's other core.
 * Every message about a sweep carries its sweepId; the page drops any other.
 */
import type { BackendName } from '../engine/backend-names';
import type { Config } from '../sim/params';
import type { SweepGrid } from '../sim/sweep';

export type SweepId = number;

export type ToSweepWorker =
  | { type: 'init'; backend: BackendName }
  | { type: 'start'; sweepId: SweepId; base: Config; grid: SweepGrid }
  /** Stop and free the sweep; a newer one may follow. */
  | { type: 'cancel'; sweepId: SweepId }
  /** Hold between chunks (the page trains its live runs meanwhile). */
  | { type: 'pause'; sweepId: SweepId }
  | { type: 'resume'; sweepId: SweepId };

export type FromSweepWorker =
  | { type: 'ready'; backend: BackendName }
  | {
      type: 'progress';
      sweepId: SweepId;
      /** Steps taken by every cell. */
      t: number;
      T: number;
      done: boolean;
      /** Logged steps in this message. */
      ts: number[];
      /** ts.length x runs x SWEEP_FIELDS.length float32 values, transferred. */
      rows: Float32Array;
      /** Run-steps per second over the whole grid so far (runs x steps / wall time). */
      runStepsPerSecond: number | null;
    }
  | { type: 'error'; sweepId: SweepId | null; message: string };
