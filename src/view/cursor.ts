import type { TraceRow } from '../sim/trace';

/** Index of the last row with row.t <= t (rows are in increasing t), or -1 when there is none. */
export function rowIndexAt(rows: readonly TraceRow[], t: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid].t <= t) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** The time axis domain: the window if given, else the whole run. */
export function timeDomain(range: readonly [number, number] | null, T: number): [number, number] {
  return range ? [range[0], Math.max(range[0] + 1, range[1])] : [0, Math.max(1, T)];
}
