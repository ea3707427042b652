import type { RunTrace, TraceRow } from '../sim/trace';
import { linearExtent, rowIndicesIn } from './chart/series';
import { firstStepWhere } from '../sim/trace';

/** [step, value] points of one line. */
export type Point = readonly [number, number];

/** c_r over time for each filter r, from the per-filter detail, for the first `count` rows. */
export function filterLines(trace: RunTrace, m: number, count: number): Point[][] {
  const { rows, detail } = trace;
  const n = Math.min(count, rows.length, Math.floor(detail.c.length / Math.max(1, m)));
  return Array.from({ length: m }, (_, r) => Array.from({ length: n }, (_, k): Point => [rows[k].t, detail.c[k * m + r]]));
}

/** The first logged step at which every large-margin training example is fitted, else null. */
export function largeFittedStep(rows: readonly TraceRow[]): number | null {
  return firstStepWhere(rows, (row) => row.trainErrLarge === 0);
}

/**
 * The y domain of the feature panel: every c_r (hence c) of every run, at every logged step inside the
 * time window - the whole trace received, not only up to the shown step, so the axis stays put while
 * the cursor replays history and adapts to a story scene's window.
 */
export function featureDomain(traces: readonly RunTrace[], m: number, window: readonly [number, number]): [number, number] {
  function* values() {
    for (const { rows, detail } of traces) {
      for (const k of rowIndicesIn(rows, window)) {
        yield rows[k].cMax;
        for (let r = 0; r < m && (k + 1) * m <= detail.c.length; r++) yield detail.c[k * m + r];
      }
    }
  }
  return linearExtent(values());
}
