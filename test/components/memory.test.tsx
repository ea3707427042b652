// @vitest-environment jsdom
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MemoryPanel } from '../../src/panels/MemoryPanel';
import type { PanelData } from '../../src/state/panel-data';
import type { TraceRow } from '../../src/sim/trace';
import { fixturePanelData } from '../support/panel-fixture';
import { render } from '../support/render';
import { logAxis } from '../../src/panels/memory-scale';

let data: PanelData;
beforeAll(async () => {
  data = await fixturePanelData();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const KEYS = ['gLarge', 'gSmall', 'gStep'] as const;
/** The points of a d3.line path ("M x,y L x,y ..."). */
const pathPoints = (d: string | null | undefined) =>
  d
    ? d
        .split(/[ML]/)
        .filter(Boolean)
        .map((p) => p.split(',').map(Number))
    : [];
const rowAt = (rows: readonly TraceRow[], t: number) => rows.filter((r) => r.t <= t).at(-1)!;
const facet = (el: Element, run: string) => el.querySelector(`section.facet[data-run=${run}]`)!;

describe('memory panel', () => {
  it('draws two facets, each with the large-margin part, the small-margin part and the step direction', () => {
    const { T } = data.config;
    const { container, unmount } = render(<MemoryPanel data={data} t={T} range={null} />);
    expect(container.querySelector('figure[data-panel=memory]')).not.toBeNull();
    expect(container.querySelectorAll('section.facet').length).toBe(2);
    for (const run of ['gd', 'gdm'] as const) {
      const f = facet(container, run);
      expect(f.querySelector('.facet-title')!.textContent).toContain(run === 'gd' ? 'GD' : 'GD+M');
      for (const key of KEYS) {
        const paths = f.querySelectorAll(`path.line-${key}`);
        expect(paths.length).toBe(1);
        expect(pathPoints(paths[0].getAttribute('d')).length).toBe(data.runs[run]!.rows.length);
        expect(paths[0].querySelector('title')!.textContent).toContain('gradient along w*');
      }
    }
    // GD steps along its gradient; GD+M along its buffer
    expect(facet(container, 'gd').querySelector('path.line-gStep title')!.textContent).toContain('current gradient');
    expect(facet(container, 'gdm').querySelector('path.line-gStep title')!.textContent).toContain('momentum buffer');
    unmount();
  });

  it('reads out the three values at the last logged step at or before the shown step', () => {
    for (const t of [35, data.config.T]) {
      const { container, unmount } = render(<MemoryPanel data={data} t={t} range={null} />);
      for (const run of ['gd', 'gdm'] as const) {
        const row = rowAt(data.runs[run]!.rows, t);
        for (const key of KEYS) {
          const el = container.querySelector(`[data-testid=memory-${key}-${run}]`)!;
          expect(Number(el.getAttribute('data-value'))).toBe(row[key]);
          expect(Number(el.getAttribute('data-t'))).toBe(row.t);
          // "≈ 0" far below the axis' top (1.19e-26 beside 5.53e-3 is no number to read)
          const top = logAxis(['gd', 'gdm'].flatMap((r) => data.runs[r as 'gd']!.rows.flatMap((x) => KEYS.map((k) => x[k])))).top;
          expect(el.textContent).toBe(row[key] === 0 ? '0' : Math.abs(row[key]) < 1e-6 * top ? '≈ 0' : row[key].toExponential(2));
        }
        expect(container.querySelector(`[data-testid=memory-readout-${run}]`)!.textContent).toMatch(new RegExp(`^at t = ${row.t}: large`));
      }
      unmount();
    }
  });

  it('values below the floor lie on the floor line, values above it above it', () => {
    const { T } = data.config;
    const { container, unmount } = render(<MemoryPanel data={data} t={T} range={null} />);
    const f = facet(container, 'gdm');
    const floorY = Number(f.querySelector('line.floor-line')!.getAttribute('y1'));
    const rows = data.runs.gdm!.rows;
    const large = pathPoints(f.querySelector('path.line-gLarge')!.getAttribute('d'));
    // the fixture's GD+M large-margin part ends tens of decades down: drawn at the floor
    expect(rows.at(-1)!.gLarge).toBeLessThan(1e-20);
    expect(large.at(-1)![1]).toBeCloseTo(floorY, 2);
    // the buffer does not collapse: above the floor everywhere
    const step = pathPoints(f.querySelector('path.line-gStep')!.getAttribute('d'));
    expect(Math.max(...step.map((p) => p[1]))).toBeLessThan(floorY);
    // the lowest y tick says it is a floor
    const labels = [...f.querySelectorAll('.axis-left .tick text')].map((n) => n.textContent);
    expect(labels[0]).toMatch(/^≤10⁻[⁰¹²³⁴⁵⁶⁷⁸⁹]+$/);
    expect(labels.at(-1)).toBe('1');
    unmount();
  });

  it('both facets share the y and x axes', () => {
    const { container, unmount } = render(<MemoryPanel data={data} t={data.config.T} range={null} />);
    const ticks = (run: string, axis: string) => [...facet(container, run).querySelectorAll(`.axis-${axis} .tick text`)].map((n) => n.textContent);
    expect(ticks('gd', 'left')).toEqual(ticks('gdm', 'left'));
    expect(ticks('gd', 'bottom')).toEqual(ticks('gdm', 'bottom'));
    // each facet clips to its own plot area
    const clips = [...container.querySelectorAll('clipPath')].map((c) => c.id);
    expect(new Set(clips).size).toBe(2);
    unmount();
  });

  it('a smaller t shortens the lines', () => {
    const { container, rerender, unmount } = render(<MemoryPanel data={data} t={data.config.T} range={null} />);
    const lastX = () => pathPoints(facet(container, 'gdm').querySelector('path.line-gStep')!.getAttribute('d')).at(-1)![0];
    const count = () => pathPoints(facet(container, 'gd').querySelector('path.line-gLarge')!.getAttribute('d')).length;
    const fullX = lastX();
    rerender(<MemoryPanel data={data} t={60} range={null} />);
    expect(lastX()).toBeLessThan(fullX);
    expect(count()).toBe(data.runs.gd!.rows.filter((r) => r.t <= 60).length);
    unmount();
  });

  it('the time window sets the x axis', () => {
    const { container, rerender, unmount } = render(<MemoryPanel data={data} t={data.config.T} range={null} />);
    const ticks = () => [...facet(container, 'gd').querySelectorAll('.axis-bottom .tick text')].map((n) => Number(n.textContent));
    expect(ticks().at(-1)).toBe(data.config.T);
    rerender(<MemoryPanel data={data} t={data.config.T} range={[20, 60]} />);
    expect(ticks()[0]).toBeGreaterThanOrEqual(20);
    expect(ticks().at(-1)).toBeLessThanOrEqual(60);
    unmount();
  });

  it('has a legend with the formulas, the momentum form and the floor', () => {
    const { container, rerender, unmount } = render(<MemoryPanel data={data} t={data.config.T} range={null} />);
    let legend = container.querySelector('.legend')!.textContent!;
    expect(legend).toContain('large-margin part');
    expect(legend).toContain('small-margin part');
    expect(legend).toContain('buffer');
    expect(legend).toContain('(1-\\gamma)');
    expect(legend).toMatch(/at or below 10⁻[⁰¹²³⁴⁵⁶⁷⁸⁹]+/);
    expect(container.querySelector('figcaption')!.textContent).toContain('1/(1−γ) = 10');
    rerender(<MemoryPanel data={{ ...data, config: { ...data.config, momentumForm: 'heavyball' } }} t={data.config.T} range={null} />);
    legend = container.querySelector('.legend')!.textContent!;
    expect(legend).toContain('v_t=\\gamma v_{t-1}+\\nabla L');
    expect(legend).toContain('Heavy-ball form');
    unmount();
  });

  it('stacks the facets on a narrow screen', () => {
    const { container, unmount } = render(<MemoryPanel data={data} t={data.config.T} range={null} />);
    expect((container.querySelector('.facets') as HTMLElement).style.gridTemplateColumns).toContain('repeat(2');
    unmount();
    vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue({ width: 330 } as DOMRect);
    const narrow = render(<MemoryPanel data={data} t={data.config.T} range={null} />);
    expect((narrow.container.querySelector('.facets') as HTMLElement).style.gridTemplateColumns).toContain('repeat(1');
    expect(narrow.container.querySelector('svg.chart')!.getAttribute('width')).toBe('330');
    narrow.unmount();
  });

  it('draws empty axes when there are no rows yet', () => {
    const emptyTrace = { rows: [], detail: data.runs.gd!.detail };
    for (const runs of [{}, { gd: emptyTrace }]) {
      const { container, unmount } = render(<MemoryPanel data={{ ...data, runs }} t={0} range={null} />);
      expect(container.querySelectorAll('svg.chart').length).toBe(2);
      expect(container.querySelectorAll('.axis-left .tick').length).toBeGreaterThan(1);
      expect(container.querySelectorAll('path[class^=line-]').length).toBe(0);
      expect(container.querySelector('[data-testid=memory-readout-gd]')!.textContent).toBe('no steps logged yet');
      unmount();
    }
  });
});
