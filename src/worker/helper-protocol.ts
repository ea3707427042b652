import type { BackendName } from '../engine/backend-names';
import type { Config } from '../sim/params';
import type { RunSpec } from '../sim/runs';

/**
 * The training worker's helper (helper.worker.ts): a second thread that trains part of a lineup in
 * lockstep with the worker's own part (split-trainer.ts), where the machine has a core for it.
 * Each trainer has an id of the worker's choosing; replies come in the order of the requests.
 */
export type ToHelper =
  /** Start tfjs on this backend now, before the first run needs it (its wasm compiles meanwhile). */
  | { type: 'warm'; backend: BackendName }
  /** A trainer of `runs` on the data set of `config`, from its W0, on `backend`. */
  | { type: 'create'; id: number; backend: BackendName; config: Config; runs: RunSpec[] }
  /** Take up to `steps` steps, then send everything logged meanwhile ('rows'). */
  | { type: 'advance'; id: number; steps: number }
  | { type: 'dispose'; id: number };

export type FromHelper =
  /** One advance's logged rows: [logged step][run][row], as BatchTrainer.collect gives them. */
  | { type: 'rows'; id: number; ts: number[]; packed: Float32Array }
  | { type: 'error'; id: number | null; message: string };
