// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { rowIndexAt } from '../../src/view/cursor';
import { RacePanel } from '../../src/panels/RacePanel';
import { FrameWidthContext } from '../../src/view/frame-width';
import type { PanelData } from '../../src/state/panel-data';
import type { RunTrace } from '../../src/sim/trace';
import { num } from '../../src/view/format';
import { SIZE } from '../../src/view/theme';
import { PAIR as RUN_NAMES, type RunName } from '../../src/sim/runs';
import { FIXTURE_CONFIG, fixturePanelData } from '../support/panel-fixture';
import { render } from '../support/render';

/** The fixture's own numbers at step t, counted here from the detail arrays (not through race-layout). */
function expected(data: PanelData, run: RunName, t: number) {
  const trace = data.runs[run]!;
  const k = rowIndexAt(trace.rows, t);
  const N = data.small.length;
  let byFeature = 0;
  let byMemory = 0;
  for (let i = 0; i < N; i++) {
    if (!data.small[i]) continue;
    if (trace.detail.signal[k * N + i] > trace.detail.noise[k * N + i]) byFeature++;
    else byMemory++;
  }
  return { row: trace.rows[k], byFeature, byMemory };
}

function facet(container: HTMLElement, run: RunName) {
  return container.querySelector<HTMLElement>(`.race-facet[data-run=${run}]`)!;
}

function counter(container: HTMLElement, run: RunName) {
  const el = container.querySelector<HTMLElement>(`[data-testid=race-count-${run}]`)!;
  return { text: el.textContent, byFeature: Number(el.dataset.byFeature), byMemory: Number(el.dataset.byMemory) };
}

interface Recorded {
  arcs: { x: number; y: number; r: number }[];
  /** Trail segments of the last full paint. */
  lines: number;
  clears: number;
  /** The plot's offset in the canvas (the context's translate). */
  offset: [number, number];
}

/** A 2D context that records the dots of the last full paint of each canvas. */
function recordCanvas(): Map<HTMLCanvasElement, Recorded> {
  const log = new Map<HTMLCanvasElement, Recorded>();
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(function (this: HTMLCanvasElement) {
    const rec: Recorded = log.get(this) ?? { arcs: [], lines: 0, clears: 0, offset: [0, 0] };
    log.set(this, rec);
    const noop = () => {};
    return {
      setTransform: noop,
      save: noop,
      restore: noop,
      translate: (x: number, y: number) => {
        rec.offset = [x, y];
      },
      beginPath: noop,
      rect: noop,
      clip: noop,
      moveTo: noop,
      fill: noop,
      stroke: noop,
      clearRect: () => {
        rec.clears++;
        rec.arcs = [];
        rec.lines = 0;
      },
      lineTo: () => {
        rec.lines++;
      },
      arc: (x: number, y: number, r: number) => rec.arcs.push({ x, y, r }),
    } as unknown as CanvasRenderingContext2D;
  } as unknown as typeof HTMLCanvasElement.prototype.getContext);
  return log;
}

function reduceMotion(reduce: boolean) {
  vi.stubGlobal('matchMedia', (query: string) => ({
    matches: reduce && query.includes('reduce'),
    media: query,
    addEventListener: () => {},
    removeEventListener: () => {},
  }));
}

describe('race panel', () => {
  let data: PanelData;
  beforeAll(async () => {
    data = await fixturePanelData();
    // Typeset the legend's TeX once, inside act: KaTeX loads lazily and would update Tex later.
    const { unmount } = render(<RacePanel data={data} t={0} range={null} />);
    await act(async () => {
      await import('katex');
      await import('katex/dist/katex.min.css');
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    unmount();
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  it('shows its title, the legend with the formulas, and both runs with their counters at the shown step', () => {
    const T = FIXTURE_CONFIG.T;
    const { container, unmount } = render(<RacePanel data={data} t={T} range={null} />);
    const fig = container.querySelector('[data-panel=race]')!;
    expect(fig.querySelector('.panel-title')!.textContent).toBe('The race: feature vs memorization');
    const legend = fig.querySelector('.legend')!.textContent!;
    expect(legend).toContain('small-margin training example');
    expect(legend).toContain('large-margin training example');
    expect(legend).toContain('signal part = noise part');
    expect(legend).toMatch(/signal part.*\\sum_r\\langle w_r, X\[s\]\\rangle\^3/);
    expect(legend).toMatch(/noise part.*\\sum_{j\\ne s}/);
    expect(fig.querySelector('figcaption')!.textContent).toContain('symmetric-log');

    for (const run of RUN_NAMES) {
      const want = expected(data, run, T);
      const f = facet(container, run);
      expect(f.dataset.t).toBe(String(T));
      expect(f.textContent).toContain(run === 'gd' ? 'GD' : 'GD+M');
      expect(f.querySelector('.swatch')).not.toBeNull();
      const got = counter(container, run);
      expect(got.byFeature).toBe(want.byFeature);
      expect(got.byMemory).toBe(want.byMemory);
      expect(got.text).toBe(`small margin: ${want.byFeature} by feature · ${want.byMemory} by memorization`);
      // The counter is the trace's own summary, as a count.
      expect(got.byFeature / (got.byFeature + got.byMemory)).toBe(want.row.smallByFeature);
      // Axes, the diagonal and the two regions are drawn.
      expect(f.querySelectorAll('.axis-bottom text').length).toBeGreaterThan(2);
      expect(f.querySelector('.race-diagonal')).not.toBeNull();
      expect(f.textContent).toContain('memorization');
      expect(f.textContent).toContain('signal > noise');
    }
    unmount();
  });

  it('redraws its counters for the row of a new step', () => {
    const { container, rerender, unmount } = render(<RacePanel data={data} t={FIXTURE_CONFIG.T} range={null} />);
    const before = RUN_NAMES.map((run) => counter(container, run));
    // t = 55 shows the row logged at 50.
    rerender(<RacePanel data={data} t={55} range={null} />);
    for (const run of RUN_NAMES) {
      const want = expected(data, run, 55);
      expect(want.row.t).toBe(50);
      expect(facet(container, run).dataset.t).toBe('50');
      expect(counter(container, run)).toMatchObject({ byFeature: want.byFeature, byMemory: want.byMemory });
    }
    // The fixture's counts do change between the two steps, so the check above is not vacuous.
    expect(RUN_NAMES.map((run) => counter(container, run))).not.toEqual(before);
    unmount();
  });

  it('draws empty axes for a run without rows and no run at all, without throwing', () => {
    const empty: RunTrace = {
      rows: [],
      detail: { c: new Float32Array(0), gLarge: new Float32Array(0), gSmall: new Float32Array(0), gStep: new Float32Array(0), signal: new Float32Array(0), noise: new Float32Array(0) },
    };
    const recorded = recordCanvas();
    const { container, unmount } = render(<RacePanel data={{ ...data, runs: { gd: empty } }} t={0} range={null} />);
    for (const run of RUN_NAMES) {
      expect(facet(container, run).dataset.t).toBeUndefined();
      expect(counter(container, run)).toMatchObject({ byFeature: 0, byMemory: 0 });
      expect(facet(container, run).querySelectorAll('.axis-left text').length).toBeGreaterThan(1);
    }
    expect(container.textContent).toContain('no steps yet');
    for (const rec of recorded.values()) expect(rec.arcs).toEqual([]);
    unmount();
  });

  it('first draws at the width its placeholder had (FrameWidthContext), not at the fallback width', () => {
    const fallback = render(<RacePanel data={data} t={100} range={null} />);
    const fallbackWidth = Number(fallback.container.querySelector('.race-layer')!.getAttribute('width'));
    fallback.unmount();
    expect(fallbackWidth).toBe(Math.floor((SIZE.fallbackWidth - 16) / 2)); // two columns at 640 (gap 16)
    const { container, unmount } = render(
      <FrameWidthContext.Provider value={{ get: (id) => (id === 'race' ? 412 : undefined) }}>
        <RacePanel data={data} t={100} range={null} />
      </FrameWidthContext.Provider>,
    );
    // one column at a phone's width: each facet the whole width
    expect(container.querySelector('.race-layer')!.getAttribute('width')).toBe('412');
    expect(container.querySelector<HTMLElement>('.race-facets')!.style.gridTemplateColumns).toBe('412px');
    unmount();
  });

  it('tolerates a missing 2D context (jsdom has none)', () => {
    const { container, unmount } = render(<RacePanel data={data} t={100} range={null} />);
    expect(container.querySelectorAll('canvas').length).toBe(2);
    expect(container.querySelector('canvas')!.dataset.drawnT).toBeUndefined();
    unmount();
  });

  it('draws one dot per training example, small-margin ones larger and last; under reduced motion a new step draws at once', () => {
    reduceMotion(true);
    const recorded = recordCanvas();
    const { container, rerender, unmount } = render(<RacePanel data={data} t={FIXTURE_CONFIG.T} range={null} />);
    const canvases = [...container.querySelectorAll('canvas')];
    const N = data.small.length;
    const smallCount = data.small.reduce((a, s) => a + s, 0);
    for (const canvas of canvases) {
      const arcs = recorded.get(canvas)!.arcs;
      expect(arcs.length).toBe(N);
      expect(arcs.slice(N - smallCount).every((a) => a.r === SIZE.dotHighlighted)).toBe(true);
      expect(arcs.slice(0, N - smallCount).every((a) => a.r === SIZE.dot)).toBe(true);
      expect(canvas.dataset.drawnT).toBe(String(FIXTURE_CONFIG.T));
      expect(canvas.width).toBe(Math.round(canvas.clientWidth || Number.parseFloat(canvas.style.width)));
    }
    const clears = canvases.map((c) => recorded.get(c)!.clears);
    rerender(<RacePanel data={data} t={20} range={null} />);
    canvases.forEach((canvas, j) => {
      expect(canvas.dataset.drawnT).toBe('20');
      expect(recorded.get(canvas)!.clears).toBe(clears[j] + 1);
    });
    unmount();
  });

  it('glides to the new positions over several frames when motion is allowed', async () => {
    reduceMotion(false);
    const recorded = recordCanvas();
    const { container, rerender, unmount } = render(<RacePanel data={data} t={FIXTURE_CONFIG.T} range={null} />);
    const canvas = container.querySelector('canvas')!;
    const start = recorded.get(canvas)!.clears;
    rerender(<RacePanel data={data} t={30} range={null} />);
    expect(canvas.dataset.drawnT).toBe(String(FIXTURE_CONFIG.T));
    await vi.waitFor(() => expect(canvas.dataset.drawnT).toBe('30'), { timeout: 3000, interval: 20 });
    expect(recorded.get(canvas)!.clears - start).toBeGreaterThan(1);
    unmount();
  });

  it('draws each dot where a canvas over the whole facet drew it: the canvas over the plot only, offset by whole pixels', () => {
    reduceMotion(true);
    const recorded = recordCanvas();
    const T = FIXTURE_CONFIG.T;
    const { container, unmount } = render(<RacePanel data={data} t={T} range={null} />);
    const N = data.small.length;
    for (const run of RUN_NAMES) {
      const f = facet(container, run);
      const canvas = f.querySelector('canvas')!;
      const plot = f.querySelector<HTMLElement>('.race-plot')!;
      const { arcs, offset } = recorded.get(canvas)!;
      const left = Number.parseFloat(canvas.style.left);
      const top = Number.parseFloat(canvas.style.top);
      const width = Number.parseFloat(canvas.style.width);
      const height = Number.parseFloat(canvas.style.height);
      // Over the plot, not its margins: smaller than the facet, its edges on whole pixels (dpr 1 here).
      expect([left, top, width, height].every(Number.isInteger)).toBe(true);
      expect(left).toBeGreaterThan(0);
      expect(top).toBeGreaterThan(0);
      expect(width).toBeLessThan(Number.parseFloat(plot.style.width));
      expect(height).toBeLessThan(Number.parseFloat(plot.style.height));
      expect([canvas.width, canvas.height]).toEqual([width, height]);
      // The plot's origin in the facet is the front layer's (the axes'), so every dot is where it was.
      const axes = f.querySelector('.race-front > g')!.getAttribute('transform');
      expect(axes).toBe(`translate(${left + offset[0]},${top + offset[1]})`);
      // All dots drawn, inside the canvas (up to the clip, a dot's radius beyond the plot).
      expect(arcs.length).toBe(N);
      const inside = arcs.filter((a) => Number.isFinite(a.x) && Number.isFinite(a.y));
      expect(inside.length).toBeGreaterThan(0);
    }
    unmount();
  });

  it('names the nearest dot on hover: its index, margin and both parts', () => {
    reduceMotion(true);
    const recorded = recordCanvas();
    const { container, unmount } = render(<RacePanel data={data} t={FIXTURE_CONFIG.T} range={null} />);
    const gd = facet(container, 'gd');
    const canvas = gd.querySelector('canvas')!;
    const { arcs, offset } = recorded.get(canvas)!;
    const last = arcs.at(-1)!; // a small-margin example, drawn on top
    const svg = gd.querySelector('.race-front')!;
    // Where the dot is in the facet: the canvas's offset, then the plot's origin in the canvas.
    const [x, y] = [Number.parseFloat(canvas.style.left) + offset[0] + last.x, Number.parseFloat(canvas.style.top) + offset[1] + last.y];
    act(() => {
      svg.dispatchEvent(new MouseEvent('pointermove', { bubbles: true, clientX: x, clientY: y }));
    });
    const tip = gd.querySelector('.race-tooltip');
    expect(tip).not.toBeNull();
    expect(tip!.textContent).toContain('small margin');
    // The last dot drawn is the last small-margin example.
    expect(tip!.textContent).toContain(`example #${data.small.lastIndexOf(1)}`);
    const i = data.small.lastIndexOf(1);
    const k = data.runs.gd!.rows.length - 1;
    const N = data.small.length;
    expect(tip!.textContent).toContain(`signal part ${num(data.runs.gd!.detail.signal[k * N + i])}`);
    expect(tip!.textContent).toContain(`noise part ${num(data.runs.gd!.detail.noise[k * N + i])}`);
    unmount();
  });

  it('keeps both axes fixed over a run: the same ticks at every shown step, and says what the scale is', () => {
    reduceMotion(true);
    const ticks = (container: HTMLElement) =>
      RUN_NAMES.map((run) => [...facet(container, run).querySelectorAll('.axis text:not(.axis-label):not(.race-scale)')].map((el) => el.textContent).join(' ')).join(' | ');
    const { container, rerender, unmount } = render(<RacePanel data={data} t={0} range={null} />);
    const first = ticks(container);
    expect(first.length).toBeGreaterThan(0);
    for (const t of [10, 30, 60, FIXTURE_CONFIG.T]) {
      rerender(<RacePanel data={data} t={t} range={null} />);
      expect(ticks(container)).toBe(first);
    }
    expect(container.querySelector('[data-testid=race-scale-gd]')!.textContent).toMatch(/symlog: linear in ±/);
    unmount();
  });

  it('places the region labels where they cover no dot (layout numbers against the drawn dots)', () => {
    reduceMotion(true);
    const recorded = recordCanvas();
    for (const t of [0, 30, FIXTURE_CONFIG.T]) {
      const { container, unmount } = render(<RacePanel data={data} t={t} range={null} />);
      for (const run of RUN_NAMES) {
        const f = facet(container, run);
        const { arcs } = recorded.get(f.querySelector('canvas')!)!;
        expect(arcs.length).toBe(data.small.length);
        const labels = f.querySelectorAll<SVGTextElement>('text.race-region');
        expect(labels.length, `${run} t=${t}: labels shown`).toBeGreaterThan(0);
        for (const label of labels) {
          const [x, y, w, h] = label.dataset.box!.split(',').map(Number);
          const covered = arcs.filter((a) => a.x + a.r >= x && a.x - a.r <= x + w && a.y + a.r >= y && a.y - a.r <= y + h);
          expect(covered, `${run} t=${t} ${label.dataset.region}`).toEqual([]);
        }
      }
      unmount();
    }
  });

  it('draws a short fading trail behind the dots, and none under reduced motion', () => {
    reduceMotion(false);
    let recorded = recordCanvas();
    let r = render(<RacePanel data={data} t={60} range={null} />);
    let canvas = r.container.querySelector('canvas')!;
    expect(Number(canvas.dataset.trail)).toBeGreaterThan(0);
    expect(recorded.get(canvas)!.lines).toBeGreaterThan(0);
    r.unmount();
    vi.restoreAllMocks();
    reduceMotion(true);
    recorded = recordCanvas();
    r = render(<RacePanel data={data} t={60} range={null} />);
    canvas = r.container.querySelector('canvas')!;
    expect(canvas.dataset.trail).toBe('0');
    expect(recorded.get(canvas)!.lines).toBe(0);
    expect(recorded.get(canvas)!.arcs.length).toBe(data.small.length);
    r.unmount();
  });
});
