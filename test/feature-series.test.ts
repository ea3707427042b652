import { describe, expect, it } from 'vitest';
import { linearExtent, rowIndicesIn, rowsUpTo } from '../src/panels/chart/series';
import { featureDomain, filterLines, largeFittedStep } from '../src/panels/feature-series';
import type { RunTrace } from '../src/sim/trace';
import { handTrace, traceRow } from './support/traces';

const m = 2;
/** A hand-made trace: 4 logged steps, 2 filters. */
function trace(c: number[], errLarge: number[]): RunTrace {
  return handTrace(errLarge.map((e, k) => traceRow(10 * k, { trainErrLarge: e, cMax: Math.max(c[k * m], c[k * m + 1]) })), { c });
}
const tr = trace([0.1, -0.2, 0.5, -0.1, 1.5, 0, 3, 0.25], [0.5, 0.1, 0, 0]);

describe('time-series helpers', () => {
  it('rowsUpTo keeps the rows at or before t', () => {
    expect(rowsUpTo(tr.rows, 25).map((r) => r.t)).toEqual([0, 10, 20]);
    expect(rowsUpTo(tr.rows, 20).map((r) => r.t)).toEqual([0, 10, 20]);
    expect(rowsUpTo(tr.rows, -1)).toEqual([]);
    expect(rowsUpTo([], 100)).toEqual([]);
  });

  it('rowIndicesIn picks the rows inside a window', () => {
    expect(rowIndicesIn(tr.rows, [5, 20])).toEqual([1, 2]);
  });

  it('linearExtent includes 0 and skips non-finite values', () => {
    expect(linearExtent([2, Number.NaN, Number.POSITIVE_INFINITY, 1])).toEqual([0, 2]);
    expect(linearExtent([-1, 3])).toEqual([-1, 3]);
    expect(linearExtent([])).toEqual([0, 1]);
  });
});

describe('feature panel series', () => {
  it('filterLines gives each filter its c_r over the first rows', () => {
    expect(filterLines(tr, m, 2)).toEqual([
      [[0, 0.1], [10, 0.5]].map(([t, v]) => [t, Math.fround(v)]),
      [[0, -0.2], [10, -0.1]].map(([t, v]) => [t, Math.fround(v)]),
    ]);
    expect(filterLines(tr, m, 0)).toEqual([[], []]);
  });

  it('largeFittedStep is the first logged step with no large-margin training error', () => {
    expect(largeFittedStep(tr.rows)).toBe(20);
    expect(largeFittedStep(tr.rows.slice(0, 2))).toBeNull();
  });

  it('featureDomain covers every c_r inside the window, whole trace, with 0', () => {
    const [lo, hi] = featureDomain([tr], m, [0, 30]);
    expect(lo).toBeCloseTo(-0.2, 6);
    expect(hi).toBe(3);
    const early = featureDomain([tr], m, [0, 10]);
    expect(early[1]).toBeCloseTo(0.5, 6);
    expect(featureDomain([], m, [0, 30])).toEqual([0, 1]);
  });
});
