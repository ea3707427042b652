// @vitest-environment jsdom
import { act } from 'react';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { PhasePanel, describeCell } from '../../src/panels/PhasePanel';
import { type PhaseMetric, formatCell, phaseColor, phaseLayout, textOn } from '../../src/panels/phase-layout';
import type { PanelActions } from '../../src/view/panel-types';
import type { PanelData } from '../../src/state/panel-data';
import { generateDataset } from '../../src/sim/data';
import { exampleViews } from '../../src/sim/examples';
import type { Config } from '../../src/sim/params';
import { SWEEP_FIELDS, type SweepTrace, sweepCells, sweepRunCount } from '../../src/sim/sweep';
import type { SweepView } from '../../src/state/sweep';
import { SIZE } from '../../src/view/theme';
import { render } from '../support/render';
import { SWEEP_FIXTURE_CONFIG, SWEEP_FIXTURE_GRID, fixtureSweepTrace } from '../support/sweep-fixture';

const config: Config = SWEEP_FIXTURE_CONFIG;
const grid = SWEEP_FIXTURE_GRID;
let trace: SweepTrace;
let base: Omit<PanelData, 'sweep'>;

beforeAll(async () => {
  trace = await fixtureSweepTrace();
  const data = generateDataset(config);
  base = { config, small: data.train.small, examples: exampleViews(data, config.alpha, config.beta), runs: {} };
});

const doneView = (over: Partial<SweepView> = {}): SweepView => ({
  trace,
  status: 'done',
  t: config.T,
  T: config.T,
  source: 'live',
  engine: 'cpu',
  wallMs: 1234,
  runStepsPerSecond: 5678.4,
  error: null,
  ...over,
});
const actions = () => ({ pick: vi.fn<(gamma: number, beta: number) => void>(), computeMap: vi.fn<() => void>() });
function draw(sweep: SweepView | undefined, opts: { config?: Config; actions?: PanelActions } = {}) {
  const data: PanelData = { ...base, config: opts.config ?? config, sweep };
  return render(<PhasePanel data={data} t={config.T} range={null} actions={opts.actions ?? actions()} />);
}

/**
 * The number a cell shows, read straight from the flat rows (beta-major; per data set GD first,
 * then GD+M per gamma), not through sweepCells: an independent check of the panel's lookup.
 */
function expected(tr: SweepTrace, metric: PhaseMetric, g: number, b: number, step = tr.ts.length - 1): number {
  const R = sweepRunCount(tr.grid);
  const F = SWEEP_FIELDS.length;
  const testErr = (run: number) => tr.rows[(step * R + run) * F + SWEEP_FIELDS.indexOf('testErr')];
  const gd = testErr(b * (1 + tr.grid.gammas.length));
  const gdm = testErr(b * (1 + tr.grid.gammas.length) + 1 + g);
  return metric === 'gap' ? gd - gdm : metric === 'gdm' ? gdm : gd;
}
/** The first k logged steps of the map: what a sweep still computing has. */
const partial = (k: number): SweepTrace => {
  const width = sweepRunCount(grid) * SWEEP_FIELDS.length;
  return { ...trace, ts: trace.ts.slice(0, k), rows: trace.rows.slice(0, k * width) };
};

const cellGroup = (el: Element, g: number, b: number) => el.querySelector(`[data-cell="${grid.gammas[g]},${grid.betas[b]}"]`)!;
const buttons = (el: Element) => [...el.querySelectorAll<HTMLButtonElement>('button.phase-cell')];
/** The button over cell (g, b): found by its position, which must match the drawn rect. */
function buttonAt(el: Element, g: number, b: number): HTMLButtonElement {
  const rect = cellGroup(el, g, b).querySelector('rect')!;
  const found = buttons(el).filter((btn) => parseFloat(btn.style.left) === Number(rect.getAttribute('x')) && parseFloat(btn.style.top) === Number(rect.getAttribute('y')));
  expect(found.length).toBe(1);
  return found[0];
}
const readout = (el: Element) => el.querySelector('[data-testid=phase-readout]')!.textContent;
/** The status line without its button. */
function statusLine(el: Element): string {
  const status = el.querySelector('[data-testid=phase-status]');
  if (!status) return '';
  const button = status.querySelector('button')?.textContent ?? '';
  return status.textContent!.replace(button, '').trim();
}
const computeButton = (el: Element) => el.querySelector<HTMLButtonElement>('[data-testid=phase-status] button');
function chooseMetric(el: Element, metric: PhaseMetric) {
  const radio = el.querySelector<HTMLInputElement>(`.phase-metric input[value=${metric}]`)!;
  act(() => radio.click());
  expect(radio.checked).toBe(true);
}
const num = (el: Element, attr: string) => Number(el.getAttribute(attr));

describe('phase panel', () => {
  it('draws one cell (rect, value, button) per grid point', () => {
    const { container, unmount } = draw(doneView());
    const n = grid.gammas.length * grid.betas.length;
    expect(container.querySelector('figure[data-panel=phase]')).not.toBeNull();
    expect(container.querySelectorAll('.phase-cells [data-cell]').length).toBe(n);
    expect(container.querySelectorAll('.phase-cells rect').length).toBe(n);
    expect(container.querySelectorAll('.phase-cells text.phase-value').length).toBe(n);
    expect(buttons(container).length).toBe(n);
    const seen = new Set<HTMLButtonElement>();
    for (const b of grid.betas.keys()) for (const g of grid.gammas.keys()) seen.add(buttonAt(container, g, b));
    expect(seen.size).toBe(n);
    // axes: every gamma below, every beta on the left
    expect([...container.querySelectorAll('.phase-axis-x text:not(.phase-axis-title)')].map((t) => Number(t.textContent))).toEqual(grid.gammas);
    expect([...container.querySelectorAll('.phase-axis-y text:not(.phase-axis-title)')].map((t) => Number(t.textContent))).toEqual(grid.betas);
    unmount();
  });

  it('lays the cells out as the layout says: gamma to the right, beta upwards, the cell under its label', () => {
    const { container, unmount } = draw(doneView());
    const L = phaseLayout(grid, SIZE.fallbackWidth);
    for (const b of grid.betas.keys()) {
      for (const g of grid.gammas.keys()) {
        const rect = cellGroup(container, g, b).querySelector('rect')!;
        expect(num(rect, 'x')).toBeCloseTo(L.margin.left + L.x(g), 9);
        expect(num(rect, 'y')).toBeCloseTo(L.margin.top + L.y(b), 9);
        if (g > 0) expect(num(rect, 'x')).toBeGreaterThan(num(cellGroup(container, g - 1, b).querySelector('rect')!, 'x'));
        if (b > 0) expect(num(rect, 'y')).toBeLessThan(num(cellGroup(container, g, b - 1).querySelector('rect')!, 'y'));
      }
    }
    const yLabel = [...container.querySelectorAll('.phase-axis-y text:not(.phase-axis-title)')][1];
    const row1 = cellGroup(container, 0, 1).querySelector('text')!;
    expect(num(yLabel, 'y')).toBe(num(row1, 'y'));
    unmount();
  });

  for (const metric of ['gap', 'gdm', 'gd'] as const) {
    it(`prints and colours each cell's ${metric}, computed from the trace`, () => {
      const { container, unmount } = draw(doneView());
      if (metric !== 'gap') chooseMetric(container, metric);
      const values = grid.betas.flatMap((_, b) => grid.gammas.map((_, g) => expected(trace, metric, g, b)));
      const extent = Math.max(0.05, ...values.map(Math.abs));
      const color = phaseColor(metric, extent);
      for (const b of grid.betas.keys()) {
        for (const g of grid.gammas.keys()) {
          const v = expected(trace, metric, g, b);
          const cell = cellGroup(container, g, b);
          expect(cell.querySelector('text')!.textContent, `${metric} at ${grid.gammas[g]},${grid.betas[b]}`).toBe(formatCell(v, metric));
          expect(num(cell, 'data-value')).toBeCloseTo(v, 12);
          const fill = cell.querySelector('rect')!.getAttribute('fill')!;
          expect(fill).toBe(color(v));
          expect(cell.querySelector('text')!.getAttribute('fill')).toBe(textOn(fill));
        }
      }
      const what = { gap: 'test error of GD minus test error of GD+M', gdm: 'test error of GD+M', gd: 'test error of GD' }[metric];
      expect(container.querySelector('.phase-plot > svg')!.getAttribute('aria-label')).toBe(`Map of ${what} over γ and β at step ${config.T}`);
      unmount();
    });
  }

  it('the metrics differ on this map (so switching is really checked)', () => {
    const texts = (metric: PhaseMetric) => grid.betas.flatMap((_, b) => grid.gammas.map((_, g) => formatCell(expected(trace, metric, g, b), metric))).join('|');
    expect(new Set([texts('gap'), texts('gdm'), texts('gd')]).size).toBe(3);
  });

  it('frames the exact cell when the current setting is a grid point', () => {
    const { container, unmount } = draw(doneView());
    const marks = container.querySelectorAll('.phase-current');
    expect(marks.length).toBe(1);
    const frame = marks[0];
    expect(frame.tagName).toBe('rect');
    const rect = cellGroup(container, grid.gammas.indexOf(config.gamma), grid.betas.indexOf(config.beta)).querySelector('rect')!;
    expect(num(frame, 'x')).toBeCloseTo(num(rect, 'x') - 2, 9);
    expect(num(frame, 'y')).toBeCloseTo(num(rect, 'y') - 2, 9);
    expect(num(frame, 'width')).toBeCloseTo(num(rect, 'width') + 4, 9);
    unmount();
  });

  it('a solid circle between grid values, at the interpolated place', () => {
    // gamma 0.7 is halfway from 0.5 to 0.9; beta 0.15 a quarter of the way from 0.1 to 0.3
    const { container, unmount } = draw(doneView(), { config: { ...config, gamma: 0.7, beta: 0.15 } });
    const marks = container.querySelectorAll('.phase-current');
    expect(marks.length).toBe(1);
    const circle = marks[0];
    expect(circle.tagName).toBe('circle');
    expect(circle.classList.contains('outside')).toBe(false);
    expect(circle.getAttribute('stroke-dasharray')).toBeNull();
    const centre = (g: number, b: number) => {
      const t = cellGroup(container, g, b).querySelector('text')!;
      return { x: num(t, 'x'), y: num(t, 'y') };
    };
    expect(num(circle, 'cx')).toBeCloseTo((centre(0, 0).x + centre(1, 0).x) / 2, 9);
    expect(num(circle, 'cy')).toBeCloseTo(centre(0, 0).y + 0.25 * (centre(0, 1).y - centre(0, 0).y), 9);
    expect(circle.querySelector('title')!.textContent).toMatch(/between grid values/);
    unmount();
  });

  it('a dashed circle at the edge when the setting lies outside the grid', () => {
    const { container, unmount } = draw(doneView(), { config: { ...config, gamma: 0.3, beta: 0.5 } });
    const circle = container.querySelector('.phase-current')!;
    expect(circle.tagName).toBe('circle');
    expect(circle.classList.contains('outside')).toBe(true);
    expect(circle.getAttribute('stroke-dasharray')).toMatch(/\d/);
    // clamped: the first gamma's column, the top (largest beta) row
    const corner = cellGroup(container, 0, grid.betas.length - 1).querySelector('text')!;
    expect(num(circle, 'cx')).toBeCloseTo(num(corner, 'x'), 9);
    expect(num(circle, 'cy')).toBeCloseTo(num(corner, 'y'), 9);
    expect(circle.querySelector('title')!.textContent).toMatch(/outside the grid/);
    unmount();
    // outside on one axis only is outside too
    const other = draw(doneView(), { config: { ...config, gamma: 0.7, beta: 0.05 } });
    expect(other.container.querySelector('circle.phase-current.outside')).not.toBeNull();
    other.unmount();
  });

  it('hovering or focusing a cell shows its numbers; leaving shows the hint again', () => {
    const { container, unmount } = draw(doneView());
    const hint = readout(container);
    const cells = sweepCells(trace);
    const btn = buttonAt(container, 2, 1);
    act(() => {
      btn.dispatchEvent(new MouseEvent('mouseover', { bubbles: true, relatedTarget: document.body }));
    });
    expect(readout(container)).toBe(describeCell(cells[1][2]));
    expect(readout(container)).toContain(`γ = ${grid.gammas[2]}, β = ${grid.betas[1]}`);
    expect(readout(container)).toContain(`gap ${(expected(trace, 'gap', 2, 1) * 100).toFixed(1)} points`);
    act(() => {
      btn.dispatchEvent(new MouseEvent('mouseout', { bubbles: true, relatedTarget: document.body }));
    });
    expect(readout(container)).toBe(hint);
    const other = buttonAt(container, 0, 0);
    act(() => other.focus());
    expect(readout(container)).toBe(describeCell(cells[0][0]));
    act(() => other.blur());
    expect(readout(container)).toBe(hint);
    // every button's accessible name carries the same numbers
    expect(other.getAttribute('aria-label')).toBe(`${describeCell(cells[0][0])}. Load this setting.`);
    unmount();
  });

  it('clicking a cell loads its gamma and beta', () => {
    const acts = actions();
    const { container, unmount } = draw(doneView(), { actions: acts });
    for (const [g, b] of [[2, 0], [0, 1], [1, 1]]) {
      act(() => buttonAt(container, g, b).click());
      expect(acts.pick).toHaveBeenLastCalledWith(grid.gammas[g], grid.betas[b]);
    }
    expect(acts.pick).toHaveBeenCalledTimes(3);
    expect(acts.computeMap).not.toHaveBeenCalled();
    unmount();
  });

  it('says how the map stands: waiting, running, paused, done (precomputed or here), failed', () => {
    const runs = sweepRunCount(grid);
    const queued: SweepView = doneView({ trace: { ...trace, ts: [], rows: new Float32Array(0) }, status: 'waiting', t: 0, engine: null, wallMs: null, runStepsPerSecond: null });
    const cases: [SweepView, string, string | null][] = [
      [queued, `Waiting for the live runs to finish, then ${runs} runs train here for this map.`, null],
      [doneView({ trace: partial(5), status: 'running', t: 9, wallMs: null }), `Training ${runs} runs in this browser: step 9 of ${config.T}, 5,678 run-steps/s.`, null],
      [doneView({ trace: partial(5), status: 'running', t: 9, wallMs: null, runStepsPerSecond: null }), `Training ${runs} runs in this browser: step 9 of ${config.T}.`, null],
      [doneView({ trace: partial(5), status: 'paused', t: 9, wallMs: null }), `Paused at step 9 of ${config.T} while the live runs train.`, null],
      [doneView({ source: 'precomputed', engine: 'wasm, Node', wallMs: 2500 }), 'Computed when the page was built (wasm, Node) in 2.5 s, same engine as this page.', 'Compute it here'],
      [doneView(), 'Computed in this browser (cpu) in 1.2 s, 5,678 run-steps/s.', 'Compute again'],
      [doneView({ engine: null, wallMs: null, runStepsPerSecond: null }), 'Computed in this browser.', 'Compute again'],
      [doneView({ trace: partial(5), status: 'error', error: 'out of memory' }), 'The map could not be computed: out of memory.', 'Compute again'],
    ];
    for (const [view, text, button] of cases) {
      const { container, unmount } = draw(view);
      expect(statusLine(container), view.status).toBe(text);
      expect(computeButton(container)?.textContent ?? null).toBe(button);
      expect(container.querySelector('[data-testid=phase]')!.getAttribute('data-status')).toBe(view.status);
      unmount();
    }
  });

  it('"Compute it here" asks the page to compute the map', () => {
    const acts = actions();
    const { container, unmount } = draw(doneView({ source: 'precomputed', engine: 'wasm, Node' }), { actions: acts });
    act(() => computeButton(container)!.click());
    expect(acts.computeMap).toHaveBeenCalledTimes(1);
    expect(acts.pick).not.toHaveBeenCalled();
    unmount();
    // without the action there is no button to press
    const bare = draw(doneView(), { actions: {} });
    expect(computeButton(bare.container)).toBeNull();
    bare.unmount();
  });

  it('a map still computing shows its latest logged step, and says so', () => {
    const k = 5;
    const tr = partial(k);
    const shown = tr.ts[k - 1];
    expect(shown).toBeLessThan(config.T);
    const { container, unmount } = draw(doneView({ trace: tr, status: 'running', t: shown + 1, wallMs: null }));
    expect(container.querySelector('[data-testid=phase]')!.getAttribute('data-t')).toBe(String(shown));
    expect(container.querySelector('figcaption')!.textContent).toContain(`(so far: step ${shown})`);
    for (const b of grid.betas.keys()) {
      for (const g of grid.gammas.keys()) {
        expect(cellGroup(container, g, b).querySelector('text')!.textContent).toBe(formatCell(expected(trace, 'gap', g, b, k - 1), 'gap'));
      }
    }
    unmount();
    const done = draw(doneView());
    expect(done.container.querySelector('figcaption')!.textContent).not.toContain('so far');
    done.unmount();
  });

  it("the caption counts the map's own steps, also while the view's T is already another", () => {
    const { container, unmount } = draw(doneView(), { config: { ...config, T: 4 * config.T } });
    const caption = container.querySelector('figcaption')!.textContent;
    expect(caption).toContain(`T=${config.T}`);
    expect(caption).not.toContain('so far');
    unmount();
  });

  it('the readout of a hovered cell follows the map as it is computed', () => {
    const running = (k: number) => doneView({ trace: partial(k), status: 'running', wallMs: null });
    const { container, rerender, unmount } = draw(running(2));
    const btn = buttonAt(container, 1, 0);
    act(() => btn.focus());
    expect(readout(container)).toBe(describeCell(sweepCells(partial(2))[0][1]));
    rerender(<PhasePanel data={{ ...base, sweep: doneView() }} t={config.T} range={null} actions={actions()} />);
    expect(readout(container)).toBe(describeCell(sweepCells(trace)[0][1]));
    expect(describeCell(sweepCells(trace)[0][1])).not.toBe(describeCell(sweepCells(partial(2))[0][1]));
    unmount();
  });

  it('no map yet: says so, draws no cells', () => {
    const { container, unmount } = draw(doneView({ trace: null, status: 'waiting', t: 0, engine: null, wallMs: null, runStepsPerSecond: null }));
    expect(container.querySelector('[data-testid=phase]')!.textContent).toContain('No map for this setting yet.');
    expect(container.querySelectorAll('[data-cell], button.phase-cell, .phase-current').length).toBe(0);
    expect(statusLine(container)).not.toMatch(/\b0 runs\b/);
    unmount();
    const none = draw(undefined);
    expect(none.container.textContent).toContain('No map for this setting yet.');
    expect(none.container.querySelector('[data-testid=phase-status]')).toBeNull();
    none.unmount();
  });

  it('the colour key spans the map: 0 and the largest gap in points', () => {
    const { container, unmount } = draw(doneView());
    const gaps = grid.betas.flatMap((_, b) => grid.gammas.map((_, g) => Math.abs(expected(trace, 'gap', g, b))));
    const pts = Math.round(Math.max(0.05, ...gaps) * 100);
    expect(container.querySelector('svg.phase-key')!.getAttribute('aria-label')).toBe(`colour key: −${pts} (GD better), 0, +${pts} (GD+M better)`);
    unmount();
  });
});
