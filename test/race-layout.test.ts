import { trailRows } from '../src/sim/trail';
import { scaleSymlog } from 'd3';
import { beforeAll, describe, expect, it } from 'vitest';
import { rowIndexAt } from '../src/view/cursor';
import {
  canvasBox,
  diagonal,
  drawOrder,
  easeOut,
  examplesAt,
  facetLayout,
  freeLabelSpot,
  labelGrid,
  runDomain,
  halfPlane,
  jitter,
  labelSpot,
  lerpPoints,
  nearest,
  niceCeil,
  project,
  raceCounts,
  raceDomain,
  sideOf,
  symlog,
  symlogConstant,
  symlogTicks,
  tickLabel,
} from '../src/panels/race-layout';
import type { PanelData } from '../src/state/panel-data';
import type { RunTrace } from '../src/sim/trace';
import { fixturePanelData } from './support/panel-fixture';
import { handTrace, traceRow } from './support/traces';

/** A hand-made trace: rows at the given steps, signal/noise blocks as given (only t matters in the rows). */
function trace(ts: number[], signal: number[][], noise: number[][]): RunTrace {
  return handTrace(ts.map((t) => traceRow(t)), { signal: signal.flat(), noise: noise.flat() });
}

describe('race counts on a real run', () => {
  let data: PanelData;
  beforeAll(async () => {
    data = await fixturePanelData();
  });

  it('agree with TraceRow.smallByFeature at every logged step of both runs', () => {
    const smallCount = data.small.reduce((a, s) => a + s, 0);
    for (const run of [data.runs.gd!, data.runs.gdm!]) {
      for (const [k, row] of run.rows.entries()) {
        const counts = raceCounts(run, data.small, k);
        expect(counts.small).toBe(smallCount);
        expect(counts.byFeature + counts.byMemory).toBe(smallCount);
        expect(counts.byFeature / counts.small).toBe(row.smallByFeature);
      }
    }
  });

  it('the shared domain holds every example of both runs at the shown step, and only grows with t', () => {
    const N = data.small.length;
    const runs = [data.runs.gd, data.runs.gdm];
    const c = symlogConstant(runs, N);
    let previous: number[] | null = null;
    for (const t of [0, 5, 10, 20, 50, 100, 150, 200]) {
      const dom = raceDomain(runs, t, N, c);
      for (const run of runs) {
        const k = rowIndexAt(run!.rows, t);
        const { signal, noise } = examplesAt(run!, k, N);
        for (let i = 0; i < N; i++) {
          expect(signal[i]).toBeGreaterThanOrEqual(dom.x[0]);
          expect(signal[i]).toBeLessThanOrEqual(dom.x[1]);
          expect(noise[i]).toBeGreaterThanOrEqual(dom.y[0]);
          expect(noise[i]).toBeLessThanOrEqual(dom.y[1]);
        }
      }
      const now = [...dom.x, ...dom.y];
      if (previous) {
        expect(now[0]).toBeLessThanOrEqual(previous[0]);
        expect(now[1]).toBeGreaterThanOrEqual(previous[1]);
        expect(now[2]).toBeLessThanOrEqual(previous[2]);
        expect(now[3]).toBeGreaterThanOrEqual(previous[3]);
      }
      previous = now;
    }
  });
});

describe('race counts and positions', () => {
  const small = Uint8Array.from([1, 0, 1, 1]);
  const tr = trace(
    [0, 10],
    [
      [0, 0, 0, 0],
      [0.5, 500, 0.5, 0.5],
    ],
    [
      [0.1, -0.1, 0, -0.2],
      [1, 3, 0.5, -2],
    ],
  );

  it('counts small-margin examples by signal > noise; a tie counts as memorization', () => {
    expect(raceCounts(tr, small, 0)).toEqual({ small: 3, byFeature: 1, byMemory: 2 });
    expect(raceCounts(tr, small, 1)).toEqual({ small: 3, byFeature: 1, byMemory: 2 });
  });

  it('has nothing to count without a trace or a row', () => {
    expect(raceCounts(undefined, small, 0)).toEqual({ small: 3, byFeature: 0, byMemory: 0 });
    expect(raceCounts(tr, small, -1)).toEqual({ small: 3, byFeature: 0, byMemory: 0 });
    expect(raceCounts(tr, small, 2)).toEqual({ small: 3, byFeature: 0, byMemory: 0 });
  });

  it('reads block k of the detail', () => {
    const { signal, noise } = examplesAt(tr, 1, 4);
    expect(Array.from(signal)).toEqual([0.5, 500, 0.5, 0.5]);
    expect(Array.from(noise)).toEqual([1, 3, 0.5, -2]);
  });

  it('projects signal to x (with a bounded sideways jitter) and noise to y; non-finite values are not placed', () => {
    const sx = (v: number) => 10 * v;
    const sy = (v: number) => 100 - v;
    const p = project([1, 2, Number.NaN], [5, -5, 0], sx, sy, 3);
    for (const i of [0, 1]) expect(Math.abs(p.x[i] - sx([1, 2][i]))).toBeLessThanOrEqual(3);
    expect(Array.from(p.y.subarray(0, 2))).toEqual([95, 105]);
    expect(p.x[2]).toBeNaN();
    for (let i = 0; i < 100; i++) expect(Math.abs(jitter(i))).toBeLessThanOrEqual(1);
    expect(new Set(Array.from({ length: 20 }, (_, i) => jitter(i).toFixed(3))).size).toBe(20);
  });

  it('glides linearly between positions; a point without a start jumps', () => {
    const from = { x: Float32Array.from([0, Number.NaN]), y: Float32Array.from([0, Number.NaN]) };
    const to = { x: Float32Array.from([10, 4]), y: Float32Array.from([-10, 4]) };
    expect(Array.from(lerpPoints(from, to, 0).x)).toEqual([0, 4]);
    expect(Array.from(lerpPoints(from, to, 0.5).y)).toEqual([-5, 4]);
    expect(Array.from(lerpPoints(from, to, 1).x)).toEqual([10, 4]);
    expect(easeOut(0)).toBe(0);
    expect(easeOut(1)).toBe(1);
    expect(easeOut(0.5)).toBeGreaterThan(0.5);
  });

  it('draws large-margin examples first and small-margin ones on top', () => {
    expect(Array.from(drawOrder(small))).toEqual([1, 0, 2, 3]);
  });

  it('finds the nearest dot within reach, the one drawn on top on a tie', () => {
    const p = { x: Float32Array.from([0, 10, 10, 50]), y: Float32Array.from([0, 0, 0, 50]) };
    expect(nearest(p, 1, 1, 5)).toBe(0);
    expect(nearest(p, 48, 49, 5)).toBe(3);
    expect(nearest(p, 30, 30, 5)).toBe(-1);
    expect(nearest(p, 10, 1, 5, [0, 2, 1, 3])).toBe(1);
    expect(nearest(p, 10, 1, 5, [0, 1, 2, 3])).toBe(2);
  });
});

describe('race axes', () => {
  it('rounds domain ends up to 1, 2, 5 x 10^k', () => {
    expect(niceCeil(0.013)).toBeCloseTo(0.02, 12);
    expect(niceCeil(36)).toBe(50);
    expect(niceCeil(62)).toBe(100);
    expect(niceCeil(4083)).toBe(5000);
    expect(niceCeil(100)).toBe(100);
    expect(niceCeil(0.1)).toBeCloseTo(0.1, 12);
    expect(niceCeil(0)).toBe(1);
  });

  it('takes the symlog constant from the size of the noise at initialization', () => {
    const tr = trace([0, 10], [new Array(10).fill(0), new Array(10).fill(5)], [[0.001, -0.002, 0.003, -0.004, 0.005, 0.006, -0.007, 0.008, 0.009, 0.012], new Array(10).fill(100)]);
    expect(symlogConstant([undefined, tr], 10)).toBeCloseTo(0.01, 12);
    expect(symlogConstant([undefined, undefined], 10)).toBe(1);
  });

  it('shares one domain between the runs, follows the data up to t, and is at least +-constant wide', () => {
    const a = trace([0, 10, 20], [[0, 0], [1, 3], [2, 90]], [[0.001, -0.001], [0.5, -0.5], [40, -7]]);
    const b = trace([0, 10, 20], [[0, 0], [1, 4000], [1, 4000]], [[0.001, -0.001], [0, 0], [0, 0]]);
    expect(raceDomain([a, b], 0, 2, 0.01)).toEqual({ x: [0, 0.01], y: [-0.01, 0.01], constant: 0.01 });
    expect(raceDomain([a, b], 15, 2, 0.01)).toEqual({ x: [0, 5000], y: [-0.5, 0.5], constant: 0.01 });
    expect(raceDomain([a, b], 20, 2, 0.01)).toEqual({ x: [0, 5000], y: [-10, 50], constant: 0.01 });
    expect(raceDomain([a, undefined], 20, 2, 0.01)).toEqual({ x: [0, 100], y: [-10, 50], constant: 0.01 });
    // Scrubbing back restores the earlier view.
    expect(raceDomain([a, b], 0, 2, 0.01)).toEqual({ x: [0, 0.01], y: [-0.01, 0.01], constant: 0.01 });
    // No rows yet: empty axes of +-constant.
    expect(raceDomain([trace([], [], []), undefined], 0, 2, 1)).toEqual({ x: [0, 1], y: [0, 1], constant: 1 });
  });

  it('ignores the non-finite values of a diverged run', () => {
    const a = trace([0, 10], [[0, 0], [Number.NaN, 2]], [[0.5, -0.5], [Number.POSITIVE_INFINITY, 1]]);
    expect(raceDomain([a], 10, 2, 0.01)).toEqual({ x: [0, 2], y: [-0.5, 1], constant: 0.01 });
    const b = trace([0, 10], [[0, 0], [Number.NEGATIVE_INFINITY, 2]], [[0.5, Number.NEGATIVE_INFINITY], [Number.NaN, 1]]);
    expect(raceDomain([b], 10, 2, 0.01)).toEqual({ x: [0, 2], y: [0, 1], constant: 0.01 });
  });

  it('puts ticks at 0 and powers of ten, apart by at least the gap, inside the domain', () => {
    const domain: [number, number] = [-50, 100];
    const s = scaleSymlog().constant(0.01).domain(domain).range([250, 0]);
    const ticks = symlogTicks(domain, 0.01, s, 20);
    expect(ticks).toContain(0);
    expect(ticks).toContain(100);
    expect(ticks).toContain(1);
    expect(ticks).toContain(-1);
    expect([...ticks].sort((x, y) => x - y)).toEqual(ticks);
    for (const v of ticks) {
      expect(v).toBeGreaterThanOrEqual(-50);
      expect(v).toBeLessThanOrEqual(100);
    }
    for (let i = 1; i < ticks.length; i++) expect(Math.abs(s(ticks[i]) - s(ticks[i - 1]))).toBeGreaterThanOrEqual(20);
  });

  it('adds 2 and 5 x 10^k where there is room, only powers of ten when crowded', () => {
    const wide = scaleSymlog().constant(0.01).domain([-0.02, 0.02]).range([300, 0]);
    expect(symlogTicks([-0.02, 0.02], 0.01, wide, 20)).toEqual(expect.arrayContaining([-0.02, -0.01, 0, 0.01, 0.02]));
    const narrow = scaleSymlog().constant(0.01).domain([-0.01, 5000]).range([0, 240]);
    const ticks = symlogTicks([-0.01, 5000], 0.01, narrow, 46);
    for (const v of ticks) if (v !== 0) expect(Math.log10(Math.abs(v)) % 1).toBeCloseTo(0, 9);
  });

  it('labels ticks compactly', () => {
    expect([0, 0.01, 0.2, 5, 200, 5000, 2e4, -50, 1e-4, 0.005].map(tickLabel)).toEqual(['0', '0.01', '0.2', '5', '200', '5000', '2e4', '\u221250', '1e-4', '0.005']);
  });

  it('draws the diagonal signal = noise inside both domains, and the memorization side holds the top-left corner', () => {
    const domain = { x: [-0.01, 5000] as [number, number], y: [-50, 100] as [number, number], constant: 0.01 };
    const d = diagonal(domain)!;
    expect(d).toEqual([
      [-0.01, -0.01],
      [100, 100],
    ]);
    const sx = scaleSymlog().constant(0.01).domain(domain.x).range([0, 400]);
    const sy = scaleSymlog().constant(0.01).domain(domain.y).range([250, 0]);
    // A point on the line signal = noise between the ends is on the screen line (symlog on both axes).
    const a: [number, number] = [sx(d[0][0]), sy(d[0][1])];
    const b: [number, number] = [sx(d[1][0]), sy(d[1][1])];
    const m = [sx(3), sy(3)];
    const cross = (b[0] - a[0]) * (m[1] - a[1]) - (b[1] - a[1]) * (m[0] - a[0]);
    expect(Math.abs(cross) / Math.hypot(b[0] - a[0], b[1] - a[1])).toBeLessThan(1e-6);
    expect(symlog(3, 0.01)).toBeCloseTo(Math.log1p(300), 12);

    const region = halfPlane(a, b, [0, 0], 400, 250);
    const other = halfPlane(a, b, [400, 250], 400, 250);
    const area = (poly: [number, number][]) => Math.abs(poly.reduce((s, p, i) => s + p[0] * poly[(i + 1) % poly.length][1] - poly[(i + 1) % poly.length][0] * p[1], 0)) / 2;
    expect(region).toContainEqual([0, 0]);
    expect(region).not.toContainEqual([400, 250]);
    expect(area(region) + area(other)).toBeCloseTo(400 * 250, 6);
    expect(diagonal({ x: [10, 20], y: [-5, 5], constant: 1 })).toBeNull();
  });

  it('moves a region label off the dots only when another spot is clearly better, and only inside its region', () => {
    const boxes = [
      { x: 0, y: 0, w: 10, h: 10, anchor: 'start' as const },
      { x: 20, y: 0, w: 10, h: 10, anchor: 'end' as const },
      { x: 40, y: 0, w: 10, h: 10, anchor: 'end' as const },
    ];
    const pts = (xs: number[]) => ({ x: Float32Array.from(xs), y: Float32Array.from(xs.map(() => 5)) });
    const all = () => true;
    // Nothing under the corner: it stays.
    expect(labelSpot(boxes, all, pts([25, 45]), Uint8Array.from([1, 1]), 0)).toBe(0);
    // A small-margin dot under the corner weighs 5: the first free spot wins.
    expect(labelSpot(boxes, all, pts([5, 25]), Uint8Array.from([1, 0]), 0)).toBe(2);
    // One large-margin dot is within the slack: the corner keeps its place (no hopping).
    expect(labelSpot(boxes, all, pts([5]), Uint8Array.from([0]), 0)).toBe(0);
    // A spot outside its region is never taken, not even the corner.
    expect(labelSpot(boxes, (b) => b.x !== 20, pts([5, 45]), Uint8Array.from([1, 1]), 0)).toBe(0);
    expect(labelSpot(boxes, (b) => b.x === 40, pts([5]), Uint8Array.from([1]), 0)).toBe(2);
    expect(sideOf([0, 10], [10, 0], [0, 0])).toBe(-sideOf([0, 10], [10, 0], [10, 10]));
    expect(sideOf([0, 10], [10, 0], [5, 5])).toBe(0);
  });

  it('puts the facets side by side on wide screens and stacks them below 640 px', () => {
    expect(facetLayout(1000, 16)).toEqual({ columns: 2, facetWidth: 492 });
    expect(facetLayout(639, 16)).toEqual({ columns: 1, facetWidth: 639 });
    expect(facetLayout(300, 16).columns).toBe(1);
  });
});

describe('race: fixed axes, trails, labels clear of dots', () => {
  it('fixes the domain from the whole run, in decades, the same at every shown step', () => {
    const a = trace([0, 10, 20], [[0, 0], [1, 3], [2, 90]], [[0.001, -0.001], [0.5, -0.5], [40, -7]]);
    const b = trace([0, 10, 20], [[0, 0], [1, 4000], [1, 4000]], [[0.001, -0.001], [0, 0], [0, 0]]);
    expect(runDomain([a, b], 2, 0.01)).toEqual({ x: [0, 10000], y: [-10, 100], constant: 0.01 });
    expect(runDomain([a, undefined], 2, 0.01)).toEqual({ x: [0, 100], y: [-10, 100], constant: 0.01 });
    expect(runDomain([trace([], [], []), undefined], 2, 1)).toEqual({ x: [0, 1], y: [0, 1], constant: 1 });
  });

  it('takes the trail from the few rows just before the shown one', () => {
    const rows = [0, 10, 20, 30, 40, 200, 210].map((t) => ({ t }));
    expect(trailRows(rows, 4, 3, 100)).toEqual([3, 2, 1]);
    expect(trailRows(rows, 6, 6, 100)).toEqual([5]);
    expect(trailRows(rows, 0, 6, 100)).toEqual([]);
    expect(trailRows(rows, -1, 6, 100)).toEqual([]);
  });

  it('puts a label at the first candidate with no point near it, inside its region, else nowhere', () => {
    const boxes = labelGrid('top-left', 20, 10, 100, 60);
    expect(boxes[0]).toMatchObject({ x: 6, y: 4, anchor: 'start' });
    const pts = (xy: [number, number][]) => ({ x: Float32Array.from(xy.map((p) => p[0])), y: Float32Array.from(xy.map((p) => p[1])) });
    expect(freeLabelSpot(boxes, () => true, [pts([[90, 50]])], 3)).toBe(0);
    const i = freeLabelSpot(boxes, () => true, [pts([[10, 8]]), pts([[30, 8]])], 3);
    expect(i).toBeGreaterThan(0);
    const box = boxes[i];
    for (const [x, y] of [[10, 8], [30, 8]]) expect(x >= box.x - 3 && x <= box.x + box.w + 3 && y >= box.y - 3 && y <= box.y + box.h + 3).toBe(false);
    expect(freeLabelSpot(boxes, (bx) => bx.y > 30, [pts([])], 3)).toBe(boxes.findIndex((bx) => bx.y > 30));
    // Dots everywhere: no place is free.
    const all: [number, number][] = [];
    for (let x = 0; x <= 100; x += 4) for (let y = 0; y <= 60; y += 4) all.push([x, y]);
    expect(freeLabelSpot(boxes, () => true, [pts(all)], 3)).toBe(-1);
  });
});

describe('race canvas box', () => {
  // The race's margins (RacePanel: SIZE.margin with room for the axis titles) and its largest dot.
  const margin = { left: 52, top: 22 };
  const r = 3.5;
  it.each([1, 1.25, 1.5, 2, 3])('at dpr %s: whole CSS pixels, the plot origin where a whole-facet canvas had it, the clip inside', (dpr) => {
    for (const [innerW, innerH] of [[534, 240], [10, 10], [333.5, 241]]) {
      const box = canvasBox(innerW, innerH, dpr, margin, r);
      // Edges and size on whole CSS pixels; the backing store is the CSS size at dpr, as on the whole-facet canvas.
      expect([box.left, box.top, box.width, box.height].every(Number.isInteger)).toBe(true);
      expect(box.pxWidth).toBe(Math.round(box.width * dpr));
      expect(box.pxHeight).toBe(Math.round(box.height * dpr));
      // A plot point (x, y) lands where it did on a canvas at the facet's origin translated by the margins.
      for (const [x, y] of [[0, 0], [17.25, 3.5], [innerW, innerH]]) {
        expect(box.left + box.originX + x).toBe(margin.left + x);
        expect(box.top + box.originY + y).toBe(margin.top + y);
      }
      // The clip (the plot and a dot's radius around it) is inside, with under a CSS pixel to spare on each side.
      const clip = { x0: margin.left - r, y0: margin.top - r, x1: margin.left + innerW + r, y1: margin.top + innerH + r };
      expect(clip.x0 - box.left).toBeGreaterThanOrEqual(0);
      expect(clip.x0 - box.left).toBeLessThan(1);
      expect(clip.y0 - box.top).toBeGreaterThanOrEqual(0);
      expect(clip.y0 - box.top).toBeLessThan(1);
      expect(box.left + box.width - clip.x1).toBeGreaterThanOrEqual(0);
      expect(box.left + box.width - clip.x1).toBeLessThan(1);
      expect(box.top + box.height - clip.y1).toBeGreaterThanOrEqual(0);
      expect(box.top + box.height - clip.y1).toBeLessThan(1);
    }
  });
});
