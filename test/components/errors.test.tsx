// @vitest-environment jsdom
import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorsPanel } from '../../src/panels/ErrorsPanel';
import type { PanelData } from '../../src/state/panel-data';
import type { TraceRow } from '../../src/sim/trace';
import { FIXTURE_CONFIG, fixturePanelData } from '../support/panel-fixture';
import { render } from '../support/render';

let data: PanelData;
beforeAll(async () => {
  data = await fixturePanelData();
});

const FIELDS = ['trainErrLarge', 'trainErrSmall', 'testErrLarge', 'testErrSmall'] as const;
const RUNS = ['gd', 'gdm'] as const;

/** The last row at or before t, found without the panel's helpers. */
function shownRow(rows: TraceRow[], t: number): TraceRow | undefined {
  return rows.filter((r) => r.t <= t).at(-1);
}

function linePoints(container: HTMLElement, field: string, run: string): number {
  const path = container.querySelector(`[data-facet=${field}] path.errors-line[data-run=${run}]`)!;
  const d = path.getAttribute('d') ?? '';
  return d ? d.split(/[ML]/).filter(Boolean).length : 0;
}

function bottomTicks(container: HTMLElement, field: string): string[] {
  return [...container.querySelectorAll(`[data-facet=${field}] .axis-bottom .tick text`)].map((n) => n.textContent ?? '');
}

describe('errors panel', () => {
  it('draws four facets, each with a GD and a GD+M line and a marker at the shown step', () => {
    const { container, unmount } = render(<ErrorsPanel data={data} t={FIXTURE_CONFIG.T} range={null} />);
    expect(container.querySelector('[data-panel=errors]')).not.toBeNull();
    const facets = container.querySelectorAll('.errors-facet');
    expect([...facets].map((f) => f.getAttribute('data-facet'))).toEqual([...FIELDS]);
    for (const facet of facets) {
      const paths = facet.querySelectorAll('path.errors-line');
      expect([...paths].map((p) => p.getAttribute('data-run'))).toEqual([...RUNS]);
      for (const p of paths) {
        expect(p.getAttribute('d')).toMatch(/^M/);
        expect(p.querySelector('title')?.textContent).toMatch(/error/);
      }
      // a second cue besides colour: GD+M is dashed, and the markers differ in shape
      expect(paths[1].getAttribute('stroke-dasharray')).toBe('6 3');
      expect(facet.querySelector('.errors-marker[data-run=gd] circle')).not.toBeNull();
      expect(facet.querySelector('.errors-marker[data-run=gdm] rect')).not.toBeNull();
      expect(facet.querySelector('.cursor')).not.toBeNull();
    }
    // every logged row up to T is on the line
    expect(linePoints(container, 'testErrSmall', 'gd')).toBe(data.runs.gd!.rows.length);
    unmount();
  });

  it('names the facets, the runs and what error means', () => {
    const { container, unmount } = render(<ErrorsPanel data={data} t={100} range={null} />);
    const titles = [...container.querySelectorAll('.errors-facet-title')].map((n) => n.textContent);
    expect(titles).toEqual([
      'train error, large margin (α)',
      'train error, small margin (β)',
      'test error, large margin (α)',
      'test error, small margin (β)',
    ]);
    expect(container.querySelector('.legend')!.textContent).toContain('GD+M (momentum γ = 0.9)');
    expect(container.querySelector('.legend')!.textContent).toContain('y\\,f(X) \\le 0');
    // the chance line in the test facets only, with a tooltip
    expect(container.querySelectorAll('.errors-chance').length).toBe(2);
    expect(container.querySelector('[data-facet=testErrSmall] .errors-chance title')).not.toBeNull();
    unmount();
  });

  it('reads out the numbers of the shown row', () => {
    for (const t of [0, 95, FIXTURE_CONFIG.T]) {
      const { container, unmount } = render(<ErrorsPanel data={data} t={t} range={null} />);
      for (const run of RUNS) {
        const row = shownRow(data.runs[run]!.rows, t)!;
        for (const field of [...FIELDS, 'trainErr', 'testErr'] as const) {
          const el = container.querySelector(`[data-testid=errors-${field}-${run}]`)!;
          expect(Number(el.getAttribute('data-value'))).toBe(row[field]);
          expect(el.textContent).toBe(`${(row[field] * 100).toFixed(1)} %`);
        }
      }
      unmount();
    }
  });

  it('draws the lines only up to the shown step', () => {
    const { container, rerender, unmount } = render(<ErrorsPanel data={data} t={FIXTURE_CONFIG.T} range={null} />);
    const full = linePoints(container, 'testErrSmall', 'gdm');
    rerender(<ErrorsPanel data={data} t={55} range={null} />);
    const expected = data.runs.gdm!.rows.filter((r) => r.t <= 55).length;
    expect(expected).toBeLessThan(full);
    for (const field of FIELDS) for (const run of RUNS) expect(linePoints(container, field, run)).toBe(expected);
    const path = container.querySelector('[data-facet=trainErrSmall] path[data-run=gd]')!;
    expect(Number(path.getAttribute('data-points'))).toBe(expected);
    // the marker sits at the last drawn point (d3-path rounds to 3 decimals)
    const d = path.getAttribute('d')!;
    const last = d.split(/[ML]/).filter(Boolean).at(-1)!;
    const [mx, my] = last.split(',').map(Number);
    const transform = container.querySelector('[data-facet=trainErrSmall] .errors-marker[data-run=gd]')!.getAttribute('transform')!;
    const [tx, ty] = transform.match(/translate\(([^,]+),([^)]+)\)/)!.slice(1).map(Number);
    expect(tx).toBeCloseTo(mx, 2);
    expect(ty).toBeCloseTo(my, 2);
    unmount();
  });

  it('takes its time axis from the range', () => {
    const { container, rerender, unmount } = render(<ErrorsPanel data={data} t={150} range={null} />);
    const whole = bottomTicks(container, 'testErrSmall');
    expect(whole[0]).toBe('0');
    expect(whole.at(-1)).toBe(String(FIXTURE_CONFIG.T));
    const markerX = () =>
      Number(container.querySelector('[data-facet=testErrSmall] .errors-marker[data-run=gd]')!.getAttribute('transform')!.match(/translate\(([^,]+),/)![1]);
    const before = markerX();
    rerender(<ErrorsPanel data={data} t={150} range={[100, 160]} />);
    const windowed = bottomTicks(container, 'testErrSmall');
    expect(windowed[0]).toBe('100');
    expect(windowed.at(-1)).toBe('160');
    expect(markerX()).toBeGreaterThan(before);
    unmount();
  });

  it('draws empty axes when there are no runs yet', () => {
    const empty: PanelData = { ...data, runs: {}, examples: [] };
    const { container, unmount } = render(<ErrorsPanel data={empty} t={0} range={null} />);
    expect(container.querySelectorAll('.errors-facet svg.chart').length).toBe(4);
    expect(container.querySelectorAll('.axis-bottom .tick').length).toBeGreaterThan(0);
    for (const p of container.querySelectorAll('path.errors-line')) expect(p.getAttribute('d')).toBe('');
    expect(container.querySelector('.errors-marker')).toBeNull();
    const readout = container.querySelector('[data-testid=errors-testErrSmall-gd]')!;
    expect(readout.textContent).toBe('–');
    expect(readout.getAttribute('data-value')).toBe('');
    // a run that has started but logged nothing yet
    const starting: PanelData = { ...data, runs: { gd: { ...data.runs.gd!, rows: [] } } };
    const again = render(<ErrorsPanel data={starting} t={0} range={null} />);
    expect(again.container.querySelector('[data-testid=errors-trainErr-gd]')!.textContent).toBe('–');
    again.unmount();
    unmount();
  });
});
