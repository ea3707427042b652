import { rgb } from 'd3';
import { describe, expect, it } from 'vitest';
import { axisPosition, cellValue, exactCell, formatCell, phaseColor, phaseExtent, phaseLayout, textOn } from '../src/panels/phase-layout';
import type { SweepCell, SweepGrid, SweepMetrics } from '../src/sim/sweep';

const GRID: SweepGrid = { gammas: [0.5, 0.7, 0.8, 0.9, 0.95, 0.99], betas: [0.06, 0.08, 0.1, 0.12, 0.14] };

const metrics = (testErr: number): SweepMetrics => ({ trainErr: 0, testErr, testErrSmall: testErr, testErrLarge: 0, cMax: 1 });
/** A cell with the given test errors (the gap derived as sweepCells derives it). */
const cell = (gd: number, gdm: number): SweepCell => ({ gamma: 0.9, beta: 0.1, gd: metrics(gd), gdm: metrics(gdm), gap: gd - gdm, seeds: 1, seedsWithGap: 0 });

/** Relative luminance (WCAG) of a CSS colour. */
function luminance(color: string): number {
  const c = rgb(color);
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};
/** Hue in degrees, or NaN for a grey. */
const hue = (color: string) => {
  const { r, g, b } = rgb(color);
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  if (max === min) return Number.NaN;
  const h = max === r ? (g - b) / (max - min) : max === g ? 2 + (b - r) / (max - min) : 4 + (r - g) / (max - min);
  return (h * 60 + 360) % 360;
};
const hueDistance = (a: number, b: number) => Math.min(Math.abs(a - b), 360 - Math.abs(a - b));
const saturation = (color: string) => {
  const { r, g, b } = rgb(color);
  return (Math.max(r, g, b) - Math.min(r, g, b)) / 255;
};

describe('axisPosition', () => {
  const values = [0.5, 0.7, 0.8, 0.9];

  it('is the index on a grid value', () => {
    values.forEach((v, i) => expect(axisPosition(values, v)).toEqual({ at: i, outside: false }));
  });

  it('interpolates linearly between neighbouring values', () => {
    expect(axisPosition(values, 0.6).at).toBeCloseTo(0.5, 12);
    expect(axisPosition(values, 0.75).at).toBeCloseTo(1.5, 12);
    expect(axisPosition(values, 0.875).at).toBeCloseTo(2.75, 12);
    expect(axisPosition(values, 0.875).outside).toBe(false);
  });

  it('clamps to the first or last cell and says it is outside', () => {
    expect(axisPosition(values, 0.1)).toEqual({ at: 0, outside: true });
    expect(axisPosition(values, 0.999)).toEqual({ at: 3, outside: true });
  });

  it('a one-value axis: the value itself is inside, anything else outside', () => {
    expect(axisPosition([0.9], 0.9)).toEqual({ at: 0, outside: false });
    expect(axisPosition([0.9], 0.95)).toEqual({ at: 0, outside: true });
    expect(axisPosition([0.9], 0.5)).toEqual({ at: 0, outside: true });
  });
});

describe('exactCell', () => {
  it('finds the cell of a grid point, tolerating float arithmetic', () => {
    expect(exactCell(GRID, 0.9, 0.1)).toEqual({ g: 3, b: 2 });
    // 0.7 + 0.2 = 0.8999999999999999 and 0.3 - 0.2 = 0.09999999999999998: still the grid point
    expect(0.7 + 0.2).not.toBe(0.9);
    expect(exactCell(GRID, 0.7 + 0.2, 0.3 - 0.2)).toEqual({ g: 3, b: 2 });
    expect(exactCell(GRID, 0.5, 0.14)).toEqual({ g: 0, b: 4 });
  });

  it('is null between grid values or off the grid on either axis', () => {
    expect(exactCell(GRID, 0.85, 0.1)).toBeNull();
    expect(exactCell(GRID, 0.9, 0.11)).toBeNull();
    expect(exactCell(GRID, 0.9, 0.2)).toBeNull();
    expect(exactCell(GRID, 0.9 + 1e-6, 0.1)).toBeNull();
  });
});

describe('formatCell', () => {
  it('prints percentage points with one decimal below 10, none from 10', () => {
    expect(formatCell(0.149, 'gdm')).toBe('15');
    expect(formatCell(0.0333, 'gd')).toBe('3.3');
    expect(formatCell(0.5, 'gd')).toBe('50');
    expect(formatCell(0, 'gdm')).toBe('0.0');
    expect(formatCell(1, 'gdm')).toBe('100');
  });

  it('signs the gap: + where momentum is better, - where it is worse, none at zero', () => {
    expect(formatCell(0.2, 'gap')).toBe('+20');
    expect(formatCell(0.012, 'gap')).toBe('+1.2');
    expect(formatCell(-0.012, 'gap')).toBe('-1.2');
    expect(formatCell(-0.2333, 'gap')).toBe('-23');
    expect(formatCell(0, 'gap')).toBe('0.0');
    // errors are never signed
    expect(formatCell(0.012, 'gd')).toBe('1.2');
  });

  it('the sign follows the printed digits: rounding to zero prints plain 0.0', () => {
    for (const v of [0.0004, -0.0004, 0.0001, -0.0001, -0]) expect(formatCell(v, 'gap')).toBe('0.0');
    // just above the rounding boundary the digits are non-zero, and signed
    expect(formatCell(0.0006, 'gap')).toBe('+0.1');
    expect(formatCell(-0.0006, 'gap')).toBe('-0.1');
    // every printed gap with non-zero digits carries a sign, whatever the value
    for (let k = -300; k <= 300; k++) {
      const text = formatCell(k / 20000, 'gap');
      if (Number(text) !== 0) expect(text, `${k / 20000}`).toMatch(/^[+-]/);
      else expect(text).toBe('0.0');
    }
  });

  it('prints a dash for a diverged or missing value', () => {
    for (const v of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(formatCell(v, 'gap')).toBe('–');
      expect(formatCell(v, 'gdm')).toBe('–');
    }
  });
});

describe('phaseExtent', () => {
  it('is the largest magnitude of the shown metric', () => {
    const cells = [[cell(0.3, 0.1), cell(0.2, 0.25)], [cell(0.4, 0.05), cell(0.1, 0.1)]];
    expect(phaseExtent(cells, 'gd')).toBeCloseTo(0.4, 12);
    expect(phaseExtent(cells, 'gdm')).toBeCloseTo(0.25, 12);
    // gaps 0.2, -0.05, 0.35, 0: the magnitude counts
    expect(phaseExtent(cells, 'gap')).toBeCloseTo(0.35, 12);
    expect(phaseExtent([[cell(0.1, 0.4)]], 'gap')).toBeCloseTo(0.3, 12);
  });

  it('never falls below 5 points, so noise stays pale', () => {
    expect(phaseExtent([[cell(0.01, 0.02)]], 'gap')).toBe(0.05);
    expect(phaseExtent([[cell(0.01, 0.02)]], 'gd')).toBe(0.05);
    expect(phaseExtent([], 'gap')).toBe(0.05);
  });

  it('ignores diverged cells', () => {
    const cells = [[cell(Number.NaN, 0.2), cell(0.3, Number.POSITIVE_INFINITY), cell(0.15, 0.1)]];
    expect(phaseExtent(cells, 'gd')).toBeCloseTo(0.3, 12);
    expect(phaseExtent(cells, 'gdm')).toBeCloseTo(0.2, 12);
    expect(phaseExtent(cells, 'gap')).toBeCloseTo(0.05, 12);
    expect(Number.isFinite(phaseExtent([[cell(Number.NaN, Number.NaN)]], 'gap'))).toBe(true);
  });

  it('reads the metric the map shows', () => {
    const c = cell(0.3, 0.1);
    expect(cellValue(c, 'gd')).toBe(0.3);
    expect(cellValue(c, 'gdm')).toBe(0.1);
    expect(cellValue(c, 'gap')).toBeCloseTo(0.2, 12);
  });
});

describe('phaseColor', () => {
  it('gap: zero is the neutral middle, the ends are saturated', () => {
    const color = phaseColor('gap', 0.2);
    expect(saturation(color(0))).toBeLessThan(0.1);
    expect(luminance(color(0))).toBeGreaterThan(0.8);
    expect(saturation(color(0.2))).toBeGreaterThan(0.25);
    expect(saturation(color(-0.2))).toBeGreaterThan(0.25);
  });

  it('gap: positive and negative values sit on opposite hues, deeper further out', () => {
    const color = phaseColor('gap', 0.2);
    const plus = hue(color(0.15));
    const minus = hue(color(-0.15));
    expect(hueDistance(plus, minus)).toBeGreaterThan(90);
    // momentum better (positive) is purple, worse is orange
    expect(hueDistance(plus, 270)).toBeLessThan(45);
    expect(hueDistance(minus, 30)).toBeLessThan(45);
    for (const sign of [1, -1]) {
      const l = [0, 0.05, 0.1, 0.15, 0.2].map((v) => luminance(color(sign * v)));
      for (let i = 1; i < l.length; i++) expect(l[i]).toBeLessThan(l[i - 1]);
    }
    // clamped beyond the extent
    expect(color(0.5)).toBe(color(0.2));
    expect(color(-0.5)).toBe(color(-0.2));
  });

  it('errors: monotone from 0 (light) to the extent (dark), clamped', () => {
    for (const metric of ['gd', 'gdm'] as const) {
      const color = phaseColor(metric, 0.4);
      const l = Array.from({ length: 11 }, (_, i) => luminance(color((0.4 * i) / 10)));
      for (let i = 1; i < l.length; i++) expect(l[i], `step ${i}`).toBeLessThan(l[i - 1]);
      expect(color(0.9)).toBe(color(0.4));
      expect(color(-0.1)).toBe(color(0));
    }
  });

  it('a diverged value has no colour', () => {
    expect(phaseColor('gap', 0.2)(Number.NaN)).toBe('transparent');
    expect(phaseColor('gd', 0.2)(Number.NaN)).toBe('transparent');
  });
});

describe('textOn', () => {
  it('dark text on light backgrounds, light text on dark ones', () => {
    expect(textOn('#ffffff')).toBe('#111111');
    expect(textOn('rgb(250, 240, 120)')).toBe('#111111');
    expect(textOn('#000000')).toBe('#ffffff');
    expect(textOn('rgb(40, 10, 90)')).toBe('#ffffff');
    // a mid orange: black reads better (contrast ~5.1 against ~3.7 for white)
    expect(textOn('rgb(201, 110, 15)')).toBe('#111111');
  });

  it('every map colour gets the more legible of the two', () => {
    for (const metric of ['gap', 'gd'] as const) {
      const color = phaseColor(metric, 0.3);
      for (let i = 0; i <= 20; i++) {
        const bg = color(metric === 'gap' ? -0.3 + (0.6 * i) / 20 : (0.3 * i) / 20);
        const text = textOn(bg);
        const other = text === '#111111' ? '#ffffff' : '#111111';
        expect(contrast(text, bg), `${metric} ${bg}`).toBeGreaterThanOrEqual(contrast(other, bg));
        expect(contrast(text, bg)).toBeGreaterThan(4);
      }
    }
  });

  it('inherits the text colour where there is no background', () => {
    expect(textOn('transparent')).toBe('currentColor');
  });
});

describe('phaseLayout', () => {
  for (const width of [640, 320, 1200]) {
    it(`cells tile the plot without overlapping, inside width ${width}`, () => {
      const L = phaseLayout(GRID, width);
      expect(L.width).toBe(width);
      expect(L.cellWidth).toBeGreaterThan(0);
      expect(L.cellHeight).toBeGreaterThan(0);
      const boxes = GRID.betas.flatMap((_, b) => GRID.gammas.map((_, g) => ({ g, b, x: L.margin.left + L.x(g), y: L.margin.top + L.y(b) })));
      for (const p of boxes) {
        expect(p.x).toBeGreaterThanOrEqual(L.margin.left - 1e-9);
        expect(p.x + L.cellWidth).toBeLessThanOrEqual(width - L.margin.right + 1e-9);
        expect(p.y).toBeGreaterThanOrEqual(L.margin.top - 1e-9);
        expect(p.y + L.cellHeight).toBeLessThanOrEqual(L.height - L.margin.bottom + 1e-9);
        for (const q of boxes) {
          if (q === p) continue;
          const apart = p.x + L.cellWidth <= q.x || q.x + L.cellWidth <= p.x || p.y + L.cellHeight <= q.y || q.y + L.cellHeight <= p.y;
          expect(apart, `cells ${p.g},${p.b} and ${q.g},${q.b}`).toBe(true);
        }
      }
      // the cells fill most of the plot: a map, not dots
      expect(GRID.gammas.length * L.cellWidth).toBeGreaterThan(0.85 * (width - L.margin.left - L.margin.right));
    });
  }

  it('gamma increases to the right and beta upwards', () => {
    const L = phaseLayout(GRID, 640);
    for (let g = 1; g < GRID.gammas.length; g++) expect(L.x(g)).toBeGreaterThan(L.x(g - 1));
    for (let b = 1; b < GRID.betas.length; b++) expect(L.y(b)).toBeLessThan(L.y(b - 1));
    // the smallest beta is the bottom row, the largest the top row
    expect(L.y(0) + L.cellHeight).toBeCloseTo(L.height - L.margin.top - L.margin.bottom, 9);
    expect(L.y(GRID.betas.length - 1)).toBeCloseTo(0, 9);
  });

  it('the height grows with the rows, the cell width with the width', () => {
    const one = phaseLayout({ gammas: GRID.gammas, betas: [0.1] }, 640);
    const five = phaseLayout(GRID, 640);
    expect(five.height - five.margin.top - five.margin.bottom).toBeCloseTo(5 * (one.height - one.margin.top - one.margin.bottom), 9);
    expect(phaseLayout(GRID, 1200).cellWidth).toBeGreaterThan(phaseLayout(GRID, 640).cellWidth);
  });

  it('too narrow a box: a readable minimum, and the layout says how wide it really is', () => {
    const L = phaseLayout(GRID, 40);
    expect(L.width).toBeGreaterThan(40);
    expect(L.margin.left + L.x(GRID.gammas.length - 1) + L.cellWidth).toBeLessThanOrEqual(L.width - L.margin.right + 1e-9);
  });
});
