/**
 * Per-row results over a trace's detail array, reused as the trace grows. While a run streams in,
 * every snapshot's trace is a new object, but its detail arrays are longer views of the same
 * buffers (state/traces.ts: views handed out are never overwritten), so what was computed for the
 * rows of an earlier view still holds and only the new rows need computing. Without this, the
 * page recomputed every row at every snapshot: the feature threshold (thresholdSeries) alone took
 * 610 ms of the main thread's 10 s in a 7.5 s live run, growing with the square of the run.
 */
interface Grown<T> {
  offset: number;
  /** Rows of the earlier view whose block lay wholly inside it. */
  rows: number;
  /** Whatever else the rows' results depend on, compared with ===. */
  key: readonly unknown[];
  out: T;
}

export type GrownCache<T> = WeakMap<ArrayBufferLike, Grown<T>>;

/**
 * How many leading rows of `detail` (blocks of `size` numbers) were computed for an earlier view of
 * its buffer with the same key and can be reused, with that earlier result; 0 and null if none.
 */
export function reusable<T>(cache: GrownCache<T>, detail: Float32Array, key: readonly unknown[]): { rows: number; out: T | null } {
  const known = cache.get(detail.buffer);
  if (!known || known.offset !== detail.byteOffset || known.key.length !== key.length || known.key.some((v, i) => v !== key[i])) return { rows: 0, out: null };
  return { rows: known.rows, out: known.out };
}

/** Remember `out`, computed for the first `rows` whole blocks of `detail`, for the next (longer) view. */
export function remember<T>(cache: GrownCache<T>, detail: Float32Array, key: readonly unknown[], rows: number, out: T): void {
  cache.set(detail.buffer, { offset: detail.byteOffset, rows, key, out });
}
