/**
 * The precomputed default experiment shipped with the page (public/precomputed/): a small JSON
 * header and one little-endian float32 file holding, run after run, the packed rows exactly as the
 * worker's snapshots carry them (per run: [logged step][rowLayout(m, N).length]). The page decodes
 * them with the same `decodeRun` as live snapshots. Pure: no DOM, no tfjs, no Node.
 *
 * The first view does not wait for that file (a megabyte gzipped): a second, small one carries what
 * it draws - every row's summary, c_r of every filter, the gradient parts at r* (those the rows
 * show), the small-margin means `decodeRun` derives
 * from the per-example parts (float64, as it computes them), and the per-example parts of a few
 * rows only (`firstViewDetailRows`). The full file follows after the first paint and fills in the
 * per-example parts of the other rows; every number shown is the same either way.
 */
import type { ExampleView } from './examples';
import type { Config } from './params';
import { SEED_FIELDS, type SeedSummary } from './seeds';
import { type RunTrace, decodeRun, rowLayout } from './trace';
import { trailRows } from './trail';

export const PRECOMPUTED_FORMAT = 2;
export const PRECOMPUTED_HEADER = 'default.json';
export const PRECOMPUTED_ROWS = 'default.f32';
export const PRECOMPUTED_FIRST = 'default-first.bin';
/** The other seeds' summaries (config.seeds in all, focus seed included): fetched after the first paint. */
export const PRECOMPUTED_SEEDS = 'default-seeds.f32';

/** The derived fields of a trace row the first view's file carries as float64 (they need every example). */
const DERIVED = ['smallSignal', 'smallNoise', 'smallByFeature'] as const;
/** The per-filter gradient parts the first view's file carries at the filter r* only (what the rows show). */
const STAR_PARTS = ['gLarge', 'gSmall', 'gStep'] as const;

/** The first view's file: what it holds besides every row's summary and per-filter parts. */
export interface FirstViewHeader {
  /** Name of the file next to the header. */
  rows: string;
  /** Its size in bytes. */
  bytes: number;
  /** The logged rows (indices into ts) whose per-example parts it carries, ascending. */
  detailRows: number[];
}

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
  /** The first view's smaller file. */
  first: FirstViewHeader;
  /** Small-margin flags of the training examples (0/1). */
  small: number[];
  examples: ExampleJson[];
  /** How it was computed: the same engine as the page, in Node. */
  engine: { backend: string; tfjs: string; runtime: string };
  /** ISO date of the build that computed it. */
  date: string;
  /**
   * Every seed's summary (config.seeds of them, from config.seed): per seed, per run in `runs` order,
   * ts.length rows of SEED_FIELDS as float32 (sim/seeds.ts), as the worker's SeedMessages carry them.
   */
  seeds?: { rows: string; bytes: number; list: number[] };
}

export interface PrecomputedRun {
  header: PrecomputedHeader;
  small: Uint8Array;
  examples: ExampleView[];
  /** From the first view's file: the per-example parts of rows not in header.first.detailRows are NaN. */
  traces: Record<string, RunTrace>;
  /** Whether every row's per-example parts are there (the full file has been read). */
  complete: boolean;
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
  const first = h.first;
  if (!first || typeof first.rows !== 'string' || !Array.isArray(first.detailRows) || first.detailRows.some((k) => !Number.isInteger(k) || k < 0 || k >= h.ts!.length)) {
    throw new Error('precomputed header: no valid first-view file');
  }
  return h as PrecomputedHeader;
}

/** Header and binary rows to what the page shows: decoded with the live snapshots' `decodeRun`. */
export function decodePrecomputed(headerJson: unknown, bytes: ArrayBuffer): PrecomputedRun {
  const header = checkHeader(headerJson);
  const small = Uint8Array.from(header.small);
  const rows = decodeRows(bytes, header);
  const traces = Object.fromEntries(header.runs.map((name) => [name, decodeRun(rows[name], header.ts, 0, 1, header.config.m, small)]));
  return { header, small, examples: examplesFromJson(header.examples), traces, complete: true };
}

/**
 * The rows whose per-example parts the first view draws: the first (the race's symlog constant),
 * the last (the step it opens on) and the race's trail behind it, and, for every run, a row where
 * its signal part, resp. noise part, reaches its minimum and its maximum over the run (the race's
 * axes at the last step span exactly those).
 */
export function firstViewDetailRows(rows: Record<string, Float32Array>, runs: readonly string[], ts: readonly number[], m: number, N: number): number[] {
  const L = rowLayout(m, N);
  const K = ts.length;
  const keep = new Set([0, K - 1, ...trailRows(ts.map((t) => ({ t })), K - 1)]);
  for (const name of runs) {
    const packed = rows[name];
    for (const part of [L.signal, L.noise]) {
      let [lo, hi, kLo, kHi] = [Infinity, -Infinity, -1, -1];
      for (let k = 0; k < K; k++) {
        for (let i = 0; i < N; i++) {
          const v = packed[k * L.length + part + i];
          if (!Number.isFinite(v)) continue;
          if (v < lo) [lo, kLo] = [v, k];
          if (v > hi) [hi, kHi] = [v, k];
        }
      }
      if (kLo >= 0) keep.add(kLo);
      if (kHi >= 0) keep.add(kHi);
    }
  }
  return [...keep].filter((k) => k >= 0 && k < K).sort((a, b) => a - b);
}

/** Sizes of the first view's file's three parts, in values. */
function firstViewSizes(header: Pick<PrecomputedHeader, 'runs' | 'ts' | 'config'>, detailRows: readonly number[]) {
  const L = rowLayout(header.config.m, header.config.N);
  const K = header.ts.length;
  const R = header.runs.length;
  return { L, K, R, derived: R * K * DERIVED.length, head: R * K * (L.gLarge + STAR_PARTS.length), detail: R * detailRows.length * 2 * header.config.N };
}

/**
 * The first view's file, little-endian: [run][row][smallSignal, smallNoise, smallByFeature] as
 * float64 (what `decodeRun` derives from all N examples), then [run][row][summary, c_r for every
 * filter, gLarge, gSmall, gStep at r*] as float32, then [run][detail row][signal parts, noise
 * parts] as float32. The gradient parts of the other filters wait for the full file.
 */
export function encodeFirstView(
  rows: Record<string, Float32Array>,
  header: Pick<PrecomputedHeader, 'runs' | 'ts' | 'config' | 'small'>,
  detailRows: readonly number[],
): Uint8Array<ArrayBuffer> {
  const { L, derived, head, detail } = firstViewSizes(header, detailRows);
  const N = header.config.N;
  const out = new Uint8Array(derived * 8 + (head + detail) * 4);
  const view = new DataView(out.buffer);
  const small = Uint8Array.from(header.small);
  let at = 0;
  for (const name of header.runs) {
    for (const row of decodeRun(rows[name], header.ts, 0, 1, header.config.m, small).rows) {
      for (const f of DERIVED) {
        view.setFloat64(at, row[f], true);
        at += 8;
      }
    }
  }
  for (const name of header.runs) {
    for (const [k, row] of decodeRun(rows[name], header.ts, 0, 1, header.config.m, small).rows.entries()) {
      for (let j = 0; j < L.gLarge; j++, at += 4) view.setFloat32(at, rows[name][k * L.length + j], true);
      for (const f of STAR_PARTS) {
        view.setFloat32(at, rows[name][k * L.length + L[f] + row.rStar], true);
        at += 4;
      }
    }
  }
  for (const name of header.runs) {
    for (const k of detailRows) {
      for (let j = 0; j < 2 * N; j++, at += 4) view.setFloat32(at, rows[name][k * L.length + L.signal + j], true);
    }
  }
  return out;
}

/**
 * The first view's file to what the page shows: the rows `decodeRun` gives for the full file (its
 * own code, with the derived means read back), c_r of every filter, the per-example parts of the
 * detail rows; NaN for the other per-example parts and the gradient parts of filters other than r*.
 */
export function decodeFirstView(headerJson: unknown, bytes: ArrayBuffer): PrecomputedRun {
  const header = checkHeader(headerJson);
  const { detailRows } = header.first;
  const { L, K, derived, head, detail } = firstViewSizes(header, detailRows);
  if (bytes.byteLength !== derived * 8 + (head + detail) * 4) {
    throw new Error(`precomputed first view: ${bytes.byteLength} bytes, expected ${derived * 8 + (head + detail) * 4}`);
  }
  const { m, N } = header.config;
  const small = Uint8Array.from(header.small);
  // Whole blocks at once, as typed arrays over the bytes (copied only on a big-endian machine):
  // this runs once per first view, in cold code, where a DataView read per value cost ~20 ms.
  const f64 = readLittleEndian(bytes, 0, derived, Float64Array);
  const f32 = readLittleEndian(bytes, derived * 8, head + detail, Float32Array);
  const H = L.gLarge + STAR_PARTS.length;
  const traces: Record<string, RunTrace> = {};
  header.runs.forEach((name, r) => {
    const packed = new Float32Array(K * L.length).fill(Number.NaN);
    for (let k = 0; k < K; k++) {
      const from = (r * K + k) * H;
      packed.set(f32.subarray(from, from + L.gLarge), k * L.length);
      // r* as decodeRun finds it, from the c_r just read: the gradient parts go where it reads them
      let rStar = 0;
      for (let q = 1; q < m; q++) if (packed[k * L.length + L.c + q] > packed[k * L.length + L.c + rStar]) rStar = q;
      STAR_PARTS.forEach((f, j) => (packed[k * L.length + L[f] + rStar] = f32[from + L.gLarge + j]));
    }
    detailRows.forEach((k, d) => {
      const from = head + (r * detailRows.length + d) * 2 * N;
      packed.set(f32.subarray(from, from + 2 * N), k * L.length + L.signal);
    });
    // The small-margin means come from the file (decodeRun would find NaN for most rows).
    const trace = decodeRun(packed, header.ts, 0, 1, m, small, false);
    trace.rows.forEach((row, k) => {
      DERIVED.forEach((f, j) => (row[f] = f64[(r * K + k) * DERIVED.length + j]));
    });
    traces[name] = trace;
  });
  return { header, small, examples: examplesFromJson(header.examples), traces, complete: false };
}

/** `count` little-endian values of `Type` from byte `offset` (aligned to the value size). */
function readLittleEndian<T extends Float32Array | Float64Array>(
  bytes: ArrayBuffer,
  offset: number,
  count: number,
  Type: { new (buffer: ArrayBuffer, offset: number, length: number): T; new (length: number): T; BYTES_PER_ELEMENT: number },
): T {
  if (littleEndian) return new Type(bytes, offset, count);
  const view = new DataView(bytes, offset);
  const out = new Type(count);
  for (let i = 0; i < count; i++) out[i] = Type.BYTES_PER_ELEMENT === 8 ? view.getFloat64(i * 8, true) : view.getFloat32(i * 4, true);
  return out;
}

/**
 * The full file over a first view: the same rows, per-example parts of every row (new arrays, so
 * whatever was derived from the partial ones is derived again).
 */
export function withFullDetail(run: PrecomputedRun, bytes: ArrayBuffer): PrecomputedRun {
  const { header } = run;
  const rows = decodeRows(bytes, header);
  const { L, K } = firstViewSizes(header, header.first.detailRows);
  const N = header.config.N;
  const traces = Object.fromEntries(
    header.runs.map((name) => {
      const trace = run.traces[name];
      const m = header.config.m;
      const detail = {
        c: trace.detail.c,
        gLarge: new Float32Array(K * m),
        gSmall: new Float32Array(K * m),
        gStep: new Float32Array(K * m),
        signal: new Float32Array(K * N),
        noise: new Float32Array(K * N),
      };
      for (let k = 0; k < K; k++) {
        const row = rows[name].subarray(k * L.length, (k + 1) * L.length);
        for (const f of STAR_PARTS) detail[f].set(row.subarray(L[f], L[f] + m), k * m);
        detail.signal.set(row.subarray(L.signal, L.signal + N), k * N);
        detail.noise.set(row.subarray(L.noise, L.noise + N), k * N);
      }
      return [name, { rows: trace.rows, detail }];
    }),
  );
  return { ...run, traces, complete: true };
}

/** Every seed's summary as one little-endian float32 file: seed after seed, run after run in `runs` order. */
export function encodeSeeds(summaries: readonly SeedSummary[], runs: readonly string[]): Uint8Array<ArrayBuffer> {
  const rows: Record<string, Float32Array> = {};
  const keys: string[] = [];
  summaries.forEach((s, i) =>
    runs.forEach((name) => {
      const key = `${i}:${name}`;
      rows[key] = s.summary[name] ?? new Float32Array(0);
      keys.push(key);
    }),
  );
  return encodeRows(rows, keys);
}

/** The inverse of `encodeSeeds`, checked against the header; throws with the reason. */
export function decodeSeeds(bytes: ArrayBuffer, header: Pick<PrecomputedHeader, 'runs' | 'ts' | 'seeds'>): SeedSummary[] {
  const list = header.seeds?.list ?? [];
  const perRun = header.ts.length * SEED_FIELDS.length;
  const keys = list.flatMap((_, i) => header.runs.map((name) => `${i}:${name}`));
  const rows = decodeRows(bytes, { runs: keys, ts: header.ts, rowLength: SEED_FIELDS.length });
  return list.map((seed, i) => ({
    seed,
    ts: header.ts,
    summary: Object.fromEntries(header.runs.map((name) => [name, rows[`${i}:${name}`].slice(0, perRun)])),
  }));
}
