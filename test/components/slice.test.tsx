// @vitest-environment jsdom
import { beforeAll, describe, expect, it } from 'vitest';
import { SlicePanel } from '../../src/panels/SlicePanel';
import { crossing, sliceAt, sliceWords } from '../../src/panels/slice-layout';
import { generateDataset } from '../../src/sim/data';
import { sweepCells, type SweepTrace } from '../../src/sim/sweep';
import type { PanelData } from '../../src/state/panel-data';
import { render } from '../support/render';
import { SWEEP_FIXTURE_CONFIG, fixtureSweepTrace } from '../support/sweep-fixture';

const config = SWEEP_FIXTURE_CONFIG;
let trace: SweepTrace;
let data: PanelData;

beforeAll(async () => {
  trace = await fixtureSweepTrace();
  const ds = generateDataset(config);
  data = {
    config,
    small: ds.train.small,
    examples: [],
    runs: {},
    sweep: { trace, status: 'done', t: config.T, T: config.T, source: 'live', engine: 'cpu', wallMs: 1, runStepsPerSecond: 1, error: null },
  };
});

describe('the beta slice', () => {
  it('crossing: linear between grid values, coming down; null when the level is never crossed', () => {
    expect(crossing([{ beta: 0.1, err: 0.2 }, { beta: 0.2, err: 0 }], 0.1)).toBeCloseTo(0.15);
    expect(crossing([{ beta: 0.1, err: 0.05 }, { beta: 0.2, err: 0 }], 0.1)).toBeNull();
    expect(crossing([{ beta: 0.1, err: 0.3 }, { beta: 0.2, err: 0.2 }], 0.1)).toBeNull();
  });

  it("takes the map's column at the view's gamma: every point is that cell's test error", () => {
    const slice = sliceAt(trace, config.gamma, config.mu)!;
    expect(slice.gamma).toBe(config.gamma);
    expect(slice.exact).toBe(true);
    const g = trace.grid.gammas.indexOf(config.gamma);
    sweepCells(trace).forEach((row, b) => {
      expect(slice.points[b]).toEqual({ beta: row[g].beta, gd: row[g].gd.testErr, gdm: row[g].gdm.testErr });
    });
    expect(slice.level).toBe(config.mu / 4);
    // off the grid: the nearest column, and the words say so
    const near = sliceAt(trace, 0.93, config.mu)!;
    expect(near.gamma).toBe(0.9);
    expect(sliceWords(near)).toMatch(/nearest/);
  });

  it('draws both runs, marks each critical beta it finds, and its caption reads them', async () => {
    const { container, unmount } = await render(<SlicePanel data={data} t={config.T} range={null} />);
    const slice = sliceAt(trace, config.gamma, config.mu)!;
    for (const run of ['gd', 'gdm'] as const) {
      expect(container.querySelector(`[data-panel=slice] g[data-run=${run}] path`)).not.toBeNull();
      const mark = container.querySelector(`[data-testid=slice-critical-${run}]`);
      expect(mark !== null).toBe(slice.critical[run] !== null);
    }
    expect(container.querySelector('figcaption')!.textContent).toContain(sliceWords(slice));
    unmount();
  });

  it('says so while there is no map', async () => {
    const { container, unmount } = await render(<SlicePanel data={{ ...data, sweep: undefined }} t={0} range={null} />);
    expect(container.querySelector('figcaption')!.textContent).toMatch(/appears once the map/);
    unmount();
  });
});
