/**
 * The precomputed default experiment shipped with the page (public/precomputed/): a small JSON
 * header and one little-endian float32 file holding, run after run, the packed rows exactly as the
 * worker's snapshots carry them (per run: [logged step][rowLayout(m, N).length]). The page decodes
 * them with the same `decodeRun` as live snapshots. Pure: no DOM, no tfjs, no Node.
 */
import type { ExampleView } from './examples';
import type { Config } from './params';
import { type RunTrace, decodeRun, rowLayout } from './trace';

export const PRECOMPUTED_FORMAT = 1;
export const PRECOMPUTED_HEADER = 'default.json';
export const PRECOMPUTED_ROWS = 'default.f32';

/** An ExampleView with its patches as a plain array (JSON). */
export type ExampleJson = Omit<ExampleView, 'patches'> & { patches: number[] };

export interface PrecomputedHeader {
  format: typeof PRECOMPUTED_FORMAT;
  config: Config;
  /** Logged steps, the same for every run. */
  ts: number[];
  /** Run names, in the order their rows follow each other in the binary file. */
  runs: string[];
  /** Float32 values per row: rowLayout(m, N).length. */
  rowLength: number;
  /** Name of the binary file next to this header. */
  rows: string;
  /** Its size in bytes: runs.length * ts.length * rowLength * 4. */
  bytes: number;
  /** Small-margin flags of the training examples (0/1). */
  small: number[];
  examples: ExampleJson[];
  /** How it was computed: the same engine as the page, in Node. */
  engine: { backend: string; tfjs: string; runtime: string };
  /** ISO date of the build that computed it. */
  date: string;
}

export interface PrecomputedRun {
  header: PrecomputedHeader;
  small: Uint8Array;
  examples: ExampleView[];
  traces: Record<string, RunTrace>;
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Per-run packed rows as one little-endian byte array, runs in `runs` order. */
export function encodeRows(rows: Record<string, Float32Array>, runs: readonly string[]): Uint8Array<ArrayBuffer> {
  const total = runs.reduce((n, name) => n + rows[name].length, 0);
  const out = new Uint8Array(total * 4);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const name of runs) {
    for (const x of rows[name]) {
      view.setFloat32(at, x, true);
      at += 4;
    }
  }
  return out;
}

/** The inverse of `encodeRows`: each run's packed rows. */
export function decodeRows(bytes: ArrayBuffer, header: Pick<PrecomputedHeader, 'runs' | 'ts' | 'rowLength'>): Record<string, Float32Array> {
  const perRun = header.ts.length * header.rowLength;
  if (bytes.byteLength !== header.runs.length * perRun * 4) {
    throw new Error(`precomputed rows: ${bytes.byteLength} bytes, expected ${header.runs.length * perRun * 4}`);
  }
  let all: Float32Array;
  if (littleEndian) {
    all = new Float32Array(bytes);
  } else {
    const view = new DataView(bytes);
    all = new Float32Array(bytes.byteLength / 4);
    for (let i = 0; i < all.length; i++) all[i] = view.getFloat32(i * 4, true);
  }
  return Object.fromEntries(header.runs.map((name, k) => [name, all.subarray(k * perRun, (k + 1) * perRun)]));
}

export function examplesToJson(examples: readonly ExampleView[]): ExampleJson[] {
  return examples.map((e) => ({ ...e, patches: Array.from(e.patches) }));
}

export function examplesFromJson(examples: readonly ExampleJson[]): ExampleView[] {
  return examples.map((e) => ({ ...e, patches: Float32Array.from(e.patches) }));
}

/** Check a fetched header enough to decode it safely; throws with the reason. */
export function checkHeader(json: unknown): PrecomputedHeader {
  const h = json as Partial<PrecomputedHeader> | null;
  if (!h || h.format !== PRECOMPUTED_FORMAT) throw new Error('precomputed header: unknown format');
  if (!h.config || !Array.isArray(h.ts) || !Array.isArray(h.runs) || !Array.isArray(h.small) || !Array.isArray(h.examples)) {
    throw new Error('precomputed header: missing fields');
  }
  if (h.small.length !== h.config.N || h.rowLength !== rowLayout(h.config.m, h.config.N).length) {
    throw new Error('precomputed header: does not match its configuration');
  }
  return h as PrecomputedHeader;
}

/** Header and binary rows to what the page shows: decoded with the live snapshots' `decodeRun`. */
export function decodePrecomputed(headerJson: unknown, bytes: ArrayBuffer): PrecomputedRun {
  const header = checkHeader(headerJson);
  const small = Uint8Array.from(header.small);
  const rows = decodeRows(bytes, header);
  const traces = Object.fromEntries(header.runs.map((name) => [name, decodeRun(rows[name], header.ts, 0, 1, header.config.m, small)]));
  return { header, small, examples: examplesFromJson(header.examples), traces };
}
