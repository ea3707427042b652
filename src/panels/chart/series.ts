import type { TraceRow } from '../../sim/trace';
import { rowIndexAt } from '../../view/cursor';

/** The rows drawn at the shown step: every logged row at or before t (later ones are the future). */
export function rowsUpTo(rows: readonly TraceRow[], t: number): readonly TraceRow[] {
  return rows.slice(0, rowIndexAt(rows, t) + 1);
}

/** Indices of the rows whose step lies in the time window [lo, hi]. */
export function rowIndicesIn(rows: readonly TraceRow[], [lo, hi]: readonly [number, number]): number[] {
  const out: number[] = [];
  for (const [k, row] of rows.entries()) if (row.t >= lo && row.t <= hi) out.push(k);
  return out;
}

/**
 * A linear y domain covering the finite values (non-finite ones, from a diverged run, are skipped),
 * always including 0; [0, 1] when there is nothing to cover.
 */
export function linearExtent(values: Iterable<number>): [number, number] {
  let lo = 0;
  let hi = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return hi > lo ? [lo, hi] : [0, 1];
}
