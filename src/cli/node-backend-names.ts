/** The backends `npm run sim` offers in Node, without loading tfjs (so `--help` and flag errors stay fast). */
import type { BackendName } from '../engine/backend-names';

export type NodeBackend = Exclude<BackendName, 'webgl'>;
export const NODE_BACKENDS: readonly NodeBackend[] = ['wasm', 'cpu'];
