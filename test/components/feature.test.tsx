// @vitest-environment jsdom
import { beforeAll, describe, expect, it } from 'vitest';
import { FeaturePanel } from '../../src/panels/FeaturePanel';
import type { PanelData } from '../../src/state/panel-data';
import type { TraceRow } from '../../src/sim/trace';
import { SIZE } from '../../src/view/theme';
import { fixturePanelData } from '../support/panel-fixture';
import { render } from '../support/render';

let data: PanelData;
beforeAll(async () => {
  data = await fixturePanelData();
});

/** Number of points in a d3.line path ("M x,y L x,y ..."). */
const points = (d: string | null | undefined) => (d ? d.split(/[ML]/).filter(Boolean).length : 0);
/** The last row at or before t, found by a plain scan. */
const rowAt = (rows: readonly TraceRow[], t: number) => rows.filter((r) => r.t <= t).at(-1)!;
const tickLabels = (el: Element) => [...el.querySelectorAll('.axis-bottom .tick text')].map((n) => Number(n.textContent));
/** The plot's inner width at the fallback width jsdom measures (useWidth). */
const innerW = SIZE.fallbackWidth - SIZE.margin.left - SIZE.margin.right;

describe('feature panel', () => {
  it('draws m thin lines per run and one bold line per run, up to the shown step', () => {
    const { m, T } = data.config;
    const { container, unmount } = render(<FeaturePanel data={data} t={T} range={null} />);
    expect(container.querySelector('figure[data-panel=feature]')).not.toBeNull();
    for (const run of ['gd', 'gdm'] as const) {
      const rows = data.runs[run]!.rows;
      const thin = container.querySelectorAll(`path.line-filter[data-run=${run}]`);
      expect(thin.length).toBe(m);
      const bold = container.querySelectorAll(`path.line-c[data-run=${run}]`);
      expect(bold.length).toBe(1);
      expect(points(bold[0].getAttribute('d'))).toBe(rows.length);
      expect(points(thin[0].getAttribute('d'))).toBe(rows.length);
      // every mark says what it is
      expect(bold[0].querySelector('title')!.textContent).toContain('c = max_r c_r');
      expect(thin[m - 1].querySelector('title')!.textContent).toContain(`filter r = ${m}`);
    }
    expect(container.querySelectorAll('path.line-filter, path.line-c').length).toBe(2 * m + 2);
    unmount();
  });

  it('marks where the large-margin examples become fitted, with each run’s marker shape', () => {
    const { T } = data.config;
    const { container, unmount } = render(<FeaturePanel data={data} t={T} range={null} />);
    for (const [run, tag] of [['gd', 'circle'], ['gdm', 'rect']] as const) {
      let fitted: TraceRow | undefined;
      for (const row of data.runs[run]!.rows) {
        if (row.trainErrLarge === 0) {
          fitted = row;
          break;
        }
      }
      expect(fitted).toBeDefined();
      const marker = container.querySelector(`[data-testid=feature-fitted-${run}]`)!;
      expect(marker.tagName).toBe(tag);
      const cx = tag === 'circle' ? Number(marker.getAttribute('cx')) : Number(marker.getAttribute('x')) + Number(marker.getAttribute('width')) / 2;
      expect(cx).toBeCloseTo((fitted!.t / T) * innerW, 6);
      const label = container.querySelector(`[data-testid=feature-fitted-label-${run}]`)!.textContent;
      expect(label).toBe(`${run === 'gd' ? 'GD' : 'GD+M'}: large margin fitted, t = ${fitted!.t}`);
    }
    unmount();
  });

  it('reads out c at the last logged step at or before the shown step', () => {
    const t = 105;
    const { container, unmount } = render(<FeaturePanel data={data} t={t} range={null} />);
    for (const run of ['gd', 'gdm'] as const) {
      const row = rowAt(data.runs[run]!.rows, t);
      const el = container.querySelector(`[data-testid=feature-c-${run}]`)!;
      expect(Number(el.getAttribute('data-value'))).toBe(row.cMax);
      expect(Number(el.getAttribute('data-t'))).toBe(row.t);
      expect(el.textContent).toBe(row.cMax.toFixed(2));
    }
    expect(container.querySelector('[data-testid=feature-readout]')!.textContent).toMatch(/^at t = 100: c = .* \(GD\), .* \(GD\+M\)$/);
    unmount();
  });

  it('a smaller t shortens the lines and hides markers not reached yet', () => {
    const { container, rerender, unmount } = render(<FeaturePanel data={data} t={data.config.T} range={null} />);
    const lengthAt = (run: string) => points(container.querySelector(`path.line-c[data-run=${run}]`)!.getAttribute('d'));
    const full = lengthAt('gdm');
    rerender(<FeaturePanel data={data} t={50} range={null} />);
    expect(lengthAt('gdm')).toBe(data.runs.gdm!.rows.filter((r) => r.t <= 50).length);
    expect(lengthAt('gdm')).toBeLessThan(full);
    expect(points(container.querySelector('path.line-filter[data-run=gd]')!.getAttribute('d'))).toBe(lengthAt('gd'));
    rerender(<FeaturePanel data={data} t={0} range={null} />);
    expect(lengthAt('gd')).toBe(1);
    for (const run of ['gd', 'gdm'] as const) {
      const fittedAtStart = data.runs[run]!.rows[0].trainErrLarge === 0;
      expect(container.querySelector(`[data-testid=feature-fitted-${run}]`) !== null).toBe(fittedAtStart);
    }
    unmount();
  });

  it('the time window sets the x axis', () => {
    const { container, rerender, unmount } = render(<FeaturePanel data={data} t={data.config.T} range={null} />);
    let ticks = tickLabels(container);
    expect(ticks[0]).toBe(0);
    expect(ticks.at(-1)).toBe(data.config.T);
    rerender(<FeaturePanel data={data} t={data.config.T} range={[20, 60]} />);
    ticks = tickLabels(container);
    expect(ticks[0]).toBeGreaterThanOrEqual(20);
    expect(ticks.at(-1)).toBeLessThanOrEqual(60);
    expect(ticks.at(-1)).toBeGreaterThan(40);
    unmount();
  });

  it('the y axis covers every filter in the window', () => {
    const { container, unmount } = render(<FeaturePanel data={data} t={0} range={null} />);
    const yTicks = [...container.querySelectorAll('.axis-left .tick text')].map((n) => Number(n.textContent));
    const maxC = Math.max(...(['gd', 'gdm'] as const).flatMap((run) => Array.from(data.runs[run]!.detail.c)));
    // whole trace, not only up to t = 0: the axis does not jump while the cursor replays
    expect(Math.max(...yTicks)).toBeGreaterThanOrEqual(Math.floor(maxC));
    unmount();
  });

  it('has a legend with the runs, the formulas and the marker', () => {
    const { container, unmount } = render(<FeaturePanel data={data} t={data.config.T} range={null} />);
    const legend = container.querySelector('.legend')!.textContent!;
    expect(legend).toContain('GD (plain gradient descent)');
    expect(legend).toContain(`γ = ${data.config.gamma}`);
    expect(legend).toContain('each filter');
    expect(legend).toMatch(/c_r|cr/);
    expect(legend).toContain('max');
    expect(legend).toContain('large-margin training examples all fitted');
    expect(container.querySelector('figcaption')!.textContent!.length).toBeGreaterThan(20);
    unmount();
  });

  it('draws empty axes when there are no rows yet', () => {
    const emptyTrace = { rows: [], detail: data.runs.gd!.detail };
    for (const runs of [{}, { gd: emptyTrace }]) {
      const { container, unmount } = render(<FeaturePanel data={{ ...data, runs }} t={0} range={null} />);
      expect(container.querySelector('svg.chart')).not.toBeNull();
      expect(container.querySelectorAll('.axis-bottom .tick').length).toBeGreaterThan(1);
      expect(container.querySelectorAll('path.line-filter, path.line-c, .marker').length).toBe(0);
      expect(container.querySelector('[data-testid=feature-readout]')!.textContent).toBe('no steps logged yet');
      unmount();
    }
  });
});
