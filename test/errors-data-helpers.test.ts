import { describe, expect, it } from 'vitest';
import { barExtent, cellExtent, exampleLayout, featureFromExamples } from '../src/panels/data-layout';
import { ERROR_FACETS, formatError, rowAt, rowsUpTo } from '../src/panels/errors-series';
import type { ExampleView } from '../src/sim/examples';
import type { TraceRow } from '../src/sim/trace';

const rows = [0, 10, 20, 30].map((t) => ({ t, testErrSmall: t / 100 }) as TraceRow);

function example(over: Partial<ExampleView>): ExampleView {
  const d = 3;
  const w = [0.6, -0.8, 0];
  const patches = Float32Array.from([0.1, 0.2, -0.5, ...w.map((v) => -0.5 * v)]);
  return { index: 0, y: -1, small: false, margin: 0.5, signalPatch: 1, P: 2, d, patches, alongFeature: [0, -0.5], norms: [0.548, 0.5], ...over };
}

describe('errors helpers', () => {
  it('has the four facets in reading order', () => {
    expect(ERROR_FACETS.map((f) => f.field)).toEqual(['trainErrLarge', 'trainErrSmall', 'testErrLarge', 'testErrSmall']);
    expect(ERROR_FACETS[3]).toMatchObject({ split: 'test', margin: 'small', title: 'test error, small margin (β)' });
  });

  it('cuts the history at the shown step', () => {
    expect(rowsUpTo(rows, 25).map((r) => r.t)).toEqual([0, 10, 20]);
    expect(rowsUpTo(rows, 30).length).toBe(4);
    expect(rowsUpTo(rows, -1)).toEqual([]);
    expect(rowAt(rows, 19)?.t).toBe(10);
    expect(rowAt(rows, -5)).toBeNull();
    expect(rowAt(undefined, 5)).toBeNull();
    expect(rowAt([], 5)).toBeNull();
  });

  it('formats errors as percentages', () => {
    expect(formatError(0.1495)).toBe('14.9 %');
    expect(formatError(0)).toBe('0.0 %');
    expect(formatError(null)).toBe('–');
    expect(formatError(Number.NaN)).toBe('–');
  });
});

describe('data helpers', () => {
  it('shares one colour and one bar extent between examples', () => {
    const a = example({});
    const b = example({ patches: Float32Array.from([0.9, 0, 0, 0, 0, 0]), alongFeature: [0, 0], norms: [0.9, 2] });
    expect(cellExtent([a])).toBeCloseTo(0.5, 6);
    expect(cellExtent([a, b])).toBeCloseTo(0.9, 6);
    expect(barExtent([a])).toBeCloseTo(0.548, 6);
    expect(barExtent([a, b])).toBe(2);
    expect(cellExtent([])).toBe(1);
    expect(barExtent([])).toBe(1);
  });

  it('reads w* back from the signal patch of the largest margin', () => {
    const w = featureFromExamples([example({ margin: 0.1, small: true }), example({})])!;
    expect(Array.from(w).map((v) => +v.toFixed(6))).toEqual([0.6, -0.8, 0]);
    expect(featureFromExamples([example({ margin: 0 })])).toBeNull();
    expect(featureFromExamples([])).toBeNull();
  });

  it('fits the rows in the width it is given', () => {
    for (const [width, d] of [[520, 30], [300, 30], [250, 200], [900, 10]]) {
      const L = exampleLayout(width, d);
      expect(L.cellW).toBeGreaterThanOrEqual(2);
      expect(L.cellW).toBeLessThanOrEqual(18);
      if (d * 2 + 200 < width) expect(L.width).toBeLessThanOrEqual(width);
    }
    expect(exampleLayout(300, 30).tags).toBe(false);
    expect(exampleLayout(520, 30).tags).toBe(true);
  });
});
