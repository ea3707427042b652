import type { RunDetail, RunTrace, TraceRow } from '../sim/trace';

const DETAIL_KEYS: (keyof RunDetail)[] = ['c', 'gLarge', 'gSmall', 'gStep', 'signal', 'noise'];

/**
 * The page keeps at most this many logged rows per run. A chart is at most ~1000 px wide, and a
 * downsampled trace keeps between a quarter and all of the budget, so a long run still has a point
 * every pixel or two; the summary rows themselves are small (a few hundred bytes each).
 */
export const MAX_ROWS = 2000;

/**
 * Per-filter and per-example detail per run, in float32 numbers (16 MB): the big part of a trace
 * (4m + 2N numbers a row, up to 4256 at the parameters' bounds). With it, a run of 20 000 logged
 * steps at N = 2000, m = 64 keeps ~940 rows (16 MB a run) instead of 340 MB.
 */
export const DETAIL_FLOATS = 4_000_000;

/** Rows and detail are downsampled together: detail block k always belongs to rows[k]. */
export function rowBudget(detailPerRow: number): number {
  return Math.max(16, Math.min(MAX_ROWS, Math.floor(DETAIL_FLOATS / Math.max(1, detailPerRow))));
}

/** How much of each backing buffer is in use: a view that ends there may be extended in place. */
const used = new WeakMap<ArrayBufferLike, number>();

/**
 * The grid of a downsampled trace: every row up to the last downsampling has a t that is a
 * multiple of it (1: never downsampled). Keyed by the rows array, which is new with every append.
 */
const strides = new WeakMap<readonly TraceRow[], number>();

/** The spacing of the older, downsampled rows of a trace, in steps (1 when nothing was dropped). */
export function traceStride(trace: RunTrace): number {
  return strides.get(trace.rows) ?? 1;
}

/**
 * `a` followed by `b`, as a view into a buffer that grows by doubling, up to `capacity` numbers.
 * Appending a snapshot costs its own size, not the size of the whole trace (a long run streams
 * thousands of snapshots). Views handed out earlier are never overwritten: in-place growth happens
 * only at the end of the used region, and only from the view that ends there.
 */
function append(a: Float32Array, b: Float32Array, capacity: number): Float32Array {
  const length = a.length + b.length;
  const inUse = used.get(a.buffer);
  if (inUse === a.byteOffset / 4 + a.length && a.byteOffset === 0 && a.buffer.byteLength >= length * 4) {
    const grown = new Float32Array(a.buffer, 0, length);
    grown.set(b, a.length);
    used.set(a.buffer, length);
    return grown;
  }
  const backing = new Float32Array(Math.max(length, Math.min(capacity, Math.max(1024, 2 * length))));
  backing.set(a);
  backing.set(b, a.length);
  used.set(backing.buffer, length);
  return backing.subarray(0, length);
}

export function emptyTrace(): RunTrace {
  return { rows: [], detail: Object.fromEntries(DETAIL_KEYS.map((k) => [k, new Float32Array(0)])) as unknown as RunDetail };
}

/** Numbers per row of each detail array (m for the per-filter ones, N for the per-example ones). */
function blockSizes(trace: RunTrace): Record<keyof RunDetail, number> {
  const n = Math.max(1, trace.rows.length);
  return Object.fromEntries(DETAIL_KEYS.map((k) => [k, Math.floor(trace.detail[k].length / n)])) as Record<keyof RunDetail, number>;
}

/**
 * A trace with the rows of `more` appended (new objects: the store stays immutable), holding at
 * most `budget` rows (by default `rowBudget` of the row size). When it would hold more, the older
 * rows are thinned to a coarser regular grid: the stride in steps doubles until at most half the
 * budget is left; the first and the latest row always stay. Every kept row is a real logged row
 * with its own t and its own detail, so time axes and lookups by t stay exact, only sparser.
 */
export function appendTrace(trace: RunTrace, more: RunTrace, budget?: number): RunTrace {
  const sizes = blockSizes(more.rows.length ? more : trace);
  const limit = Math.max(4, budget ?? rowBudget(sizes.c + sizes.gLarge + sizes.gSmall + sizes.gStep + sizes.signal + sizes.noise));
  const stride = traceStride(trace);
  if (trace.rows.length + more.rows.length > limit) return downsample(trace, more, limit, stride, sizes);
  const rows = trace.rows.concat(more.rows);
  strides.set(rows, stride);
  return {
    rows,
    detail: Object.fromEntries(DETAIL_KEYS.map((k) => [k, append(trace.detail[k], more.detail[k], limit * sizes[k])])) as unknown as RunDetail,
  };
}

function downsample(trace: RunTrace, more: RunTrace, limit: number, from: number, sizes: Record<keyof RunDetail, number>): RunTrace {
  const all = trace.rows.concat(more.rows);
  const last = all.length - 1;
  const keep = (i: number, s: number) => i === 0 || i === last || all[i].t % s === 0;
  const count = (s: number) => all.reduce((n, _, i) => n + (keep(i, s) ? 1 : 0), 0);
  let stride = from;
  // Terminates: once the stride passes the last t, only the first and the latest row are left.
  while (count(stride) > Math.max(2, limit >> 1)) stride *= 2;
  const kept = all.flatMap((_, i) => (keep(i, stride) ? [i] : []));
  const head = trace.rows.length;
  const detail = Object.fromEntries(
    DETAIL_KEYS.map((k) => {
      const size = sizes[k];
      // Room for the whole budget: appends until the next downsampling grow in place.
      const backing = new Float32Array(limit * size);
      kept.forEach((i, j) => {
        const [src, at] = i < head ? [trace.detail[k], i] : [more.detail[k], i - head];
        backing.set(src.subarray(at * size, (at + 1) * size), j * size);
      });
      used.set(backing.buffer, kept.length * size);
      return [k, backing.subarray(0, kept.length * size)];
    }),
  ) as unknown as RunDetail;
  const rows = kept.map((i) => all[i]);
  strides.set(rows, stride);
  return { rows, detail };
}
