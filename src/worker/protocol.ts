/**
 * The typed messages between the page and the training worker.
 * Every message about a run carries its runId; a receiver drops anything from a run that is not
 * its current one, so a late snapshot of an abandoned configuration can never be drawn.
 */
import type { BackendName } from '../engine/backend-names';
import type { RunDivergence } from '../sim/divergence';
import type { ExampleView } from '../sim/examples';
import type { Config } from '../sim/params';
import type { RunChoice, RunName } from '../sim/runs';

export type RunId = number;

export interface BackendInfo {
  name: BackendName;
  /** WebGL renderer string when a WebGL context could be made, else null. */
  renderer: string | null;
  /** float32 render targets available (WebGL only; wasm and cpu are always float32). */
  float32: boolean | null;
  /** Why this backend and not a faster one, in words for the status chip. */
  reason: string;
  /** What went wrong with the previous backend mid-session (e.g. a lost WebGL context), in words. */
  incident?: string;
  /** Training threads for a lineup of two runs or more (2: half of it on a helper thread). */
  threads?: 1 | 2;
}

export type ToWorker =
  /** threads: 1 or 2 training threads as the page asks (?threads=), null for the worker's choice. */
  | { type: 'init'; backend: BackendName | null; threads?: 1 | 2 | null }
  /**
   * Start a fresh lineup of runs (also how "reset" and "change config" reach the worker): every run
   * of `lineup` (gd and gdm first; sim/lineup.ts) on the focus seed config.seed, streamed as
   * snapshots; then, when config.seeds > 1, the other seeds in the background (SeedMessage).
   * No lineup: the pair (gd, gdm).
   */
  | { type: 'start'; runId: RunId; config: Config; lineup?: RunChoice[]; paused: boolean; stepsPerSecond: number | null }
  | { type: 'pause'; runId: RunId }
  | { type: 'resume'; runId: RunId }
  | { type: 'step'; runId: RunId; steps: number }
  /** null: as fast as the backend goes. */
  | { type: 'speed'; runId: RunId; stepsPerSecond: number | null }
  /** Test hook: answered by a MemoryMessage once the chunk in flight is done. */
  | { type: 'memory'; id: number }
  /** Liveness check: the worker answers 'pong' at once, even while its backend starts. */
  | { type: 'ping' }
  /** Test hooks (the page sends them only when opened with ?debug=1): force a failure. */
  | { type: 'debug'; action: DebugAction };

/** lose-context: WEBGL_lose_context on tfjs's context; throw: an uncaught error; crash: the worker closes itself. */
export type DebugAction = 'lose-context' | 'throw' | 'crash';

export interface StartedMessage {
  type: 'started';
  runId: RunId;
  config: Config;
  /** The lineup's ids, in order (the keys of every snapshot's rows). */
  runs: RunName[];
  /** The lineup as trained: every argument filled in (K, eta', b). */
  lineup: RunChoice[];
  /** Runs whose trajectory was taken from an earlier run instead of being recomputed. */
  reused: RunName[];
  /** Small-margin flags of the training examples, to decode per-example rows. */
  small: Uint8Array;
  /** A large- and a small-margin training example, for the data panel. */
  examples: ExampleView[];
}

export interface SnapshotMessage {
  type: 'snapshot';
  runId: RunId;
  /** Steps taken so far. */
  t: number;
  done: boolean;
  paused: boolean;
  /** Logged steps in this snapshot. */
  ts: number[];
  /** Per run: ts.length rows of rowLayout(m, N).length float32 values, transferred. */
  rows: Partial<Record<RunName, Float32Array>>;
  /** Measured training throughput (steps per second of the whole batch), null before it is known. */
  stepsPerSecond: number | null;
  /**
   * Runs frozen because they diverged, with where and why. A frozen run's rows stop before its
   * divergence step: its array may hold fewer rows than ts (the first ones), or none.
   */
  diverged?: Partial<Record<RunName, RunDivergence>>;
}

/**
 * One seed's summary, posted once that seed is done: first the focus seed (config.seed, from the
 * rows it streamed), then seed + 1, ... trained in the background after the focus seed finished
 * (a new start cancels them). Per run: ts.length rows of SEED_FIELDS (sim/seeds.ts) values; a run
 * that diverged has NaN from there.
 */
export interface SeedMessage {
  type: 'seed';
  runId: RunId;
  seed: number;
  ts: number[];
  summary: Partial<Record<RunName, Float32Array>>;
}

/** What the worker holds: tfjs's tf.memory() counts, and the numbers in its GD cache. */
export interface WorkerMemory {
  numTensors: number;
  numBytes: number;
  numDataBuffers: number;
  /** float32 numbers cached of the last GD trajectory (bounded: see session.ts). */
  gdCacheFloats: number;
}

export interface MemoryMessage extends WorkerMemory {
  type: 'memory';
  /** The id of the request it answers. */
  id: number;
}

export type FromWorker =
  | { type: 'ready'; backend: BackendInfo }
  | MemoryMessage
  | StartedMessage
  | SnapshotMessage
  | SeedMessage
  /** The backend changed mid-session (e.g. WebGL context lost); the current run restarts on it. */
  | { type: 'backend'; backend: BackendInfo }
  | { type: 'error'; runId: RunId | null; message: string }
  | { type: 'pong' };
