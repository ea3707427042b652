// @vitest-environment jsdom
import { beforeAll, describe, expect, it } from 'vitest';
import type { PanelData } from '../../src/state/panel-data';
import type { RunTrace, TraceRow } from '../../src/sim/trace';
import { initialTraining, useTraining } from '../../src/state/training';
import { Verdict } from '../../src/ui/Verdict';
import { SEED_FIELDS } from '../../src/sim/seeds';
import { fixturePanelData } from '../support/panel-fixture';
import { render } from '../support/render';

let data: PanelData;
beforeAll(async () => {
  data = await fixturePanelData();
});

/** The fixture's runs, with the last row of each changed as given. */
function show(last: { gd?: Partial<TraceRow>; gdm?: Partial<TraceRow> }, status: 'running' | 'done' = 'done') {
  const edit = (run: RunTrace, patch: Partial<TraceRow> = {}): RunTrace => ({ ...run, rows: [...run.rows.slice(0, -1), { ...run.rows.at(-1)!, ...patch }] });
  useTraining.setState({ ...initialTraining, config: data.config, status, traces: { gd: edit(data.runs.gd!, last.gd), gdm: edit(data.runs.gdm!, last.gdm) } });
  const { container, unmount } = render(<Verdict />);
  const text = container.textContent ?? '';
  unmount();
  return text;
}

describe('the verdict', () => {
  it('says momentum generalizes better when GD+M has the lower test error, and how each fits the small margin', () => {
    const text = show({ gd: { testErr: 0.15, smallByFeature: 0 }, gdm: { testErr: 0.001, smallByFeature: 0.97 } });
    expect(text).toContain(`After ${data.config.T} steps: momentum generalizes better: test error 0.1% with GD+M against 15.0% with GD`);
    expect(text).toContain('GD, which fits the small-margin examples by memorizing their noise while GD+M fits them through the feature');
  });

  it('when both still fit the small margin the same way (mid-run), says how many each fits by the feature, no contrast', () => {
    const text = show({ gd: { testErr: 0.075, smallByFeature: 0.66 }, gdm: { testErr: 0, smallByFeature: 1 } }, 'running');
    expect(text).toContain('momentum generalizes better: test error 0.0% with GD+M against 7.5% with GD; both fit most small-margin examples through the feature (66.0% of them with GD, 100.0% with GD+M)');
    expect(text).not.toContain('while GD+M fits them');
  });

  it('says there is no difference when the errors are within two points, and says both memorize', () => {
    expect(show({ gd: { testErr: 0.15, smallByFeature: 0.1 }, gdm: { testErr: 0.14, smallByFeature: 0.2 } })).toContain(
      'no difference: test error 15.0% (GD) and 14.0% (GD+M); both fit the small-margin examples by memorizing their noise',
    );
  });

  it('reads the real fixture while training, and names a diverged run', () => {
    expect(show({}, 'running')).toMatch(new RegExp(`^So far \\(step ${data.config.T} of ${data.config.T}\\)`));
    expect(show({ gd: { testErr: Number.NaN } })).toContain('a run diverged: lower the learning rate η');
    // a run the worker froze where it diverged ends on finite numbers: it is named, not compared
    useTraining.setState({ ...initialTraining, config: data.config, status: 'done', traces: { gd: data.runs.gd!, gdm: data.runs.gdm! } });
    useTraining.setState({ diverged: { gdm: { step: 10, kind: 'not finite', cause: '', suggestedEta: 0.1 } } });
    const { container, unmount } = render(<Verdict />);
    expect(container.textContent).toContain('GD+M diverged: lower the learning rate η');
    expect(container.querySelector('[data-testid=verdict]')?.getAttribute('data-gap')).toBe('');
    unmount();
  });
});

describe('the verdict over seeds', () => {
  /** A seed's summary: ts of the fixture, final test errors as given (every other field 0). */
  const seed = (s: number, gd: number, gdm: number) => {
    const ts = data.runs.gd!.rows.map((r) => r.t);
    const rows = (v: number) => {
      const out = new Float32Array(ts.length * SEED_FIELDS.length);
      out[(ts.length - 1) * SEED_FIELDS.length + SEED_FIELDS.indexOf('testErr')] = v;
      return out;
    };
    return { seed: s, ts, summary: { gd: rows(gd), gdm: rows(gdm) } };
  };
  const showSeeds = (S: number, seeds: ReturnType<typeof seed>[]) => {
    useTraining.setState({ ...initialTraining, config: { ...data.config, seed: 0, seeds: S }, runNames: ['gd', 'gdm'], status: 'done', traces: { gd: data.runs.gd!, gdm: data.runs.gdm! }, seeds });
    const { container, unmount } = render(<Verdict />);
    const line = container.querySelector('[data-testid=verdict-seeds]');
    const out = { text: line?.textContent ?? null, better: line?.getAttribute('data-better') ?? null };
    unmount();
    return out;
  };

  it('counts the seeds where GD+M is better by more than 2 points, with each run\'s mean and range', () => {
    // gaps: 0.15, 0.01 (not > 2 points), 0.2
    const { text, better } = showSeeds(3, [seed(0, 0.15, 0), seed(1, 0.11, 0.1), seed(2, 0.25, 0.05)]);
    expect(better).toBe('2');
    expect(text).toContain('Over all 3 seeds (0–2):');
    expect(text).toContain('by more than 2 points in 2 of 3');
    expect(text).toContain('mean test error 5.0% (0.0%–10.0%) with GD+M against 17.0% (11.0%–25.0%) with GD');
  });

  it('while the others train: how many are done; with one seed: no line at all', () => {
    expect(showSeeds(5, [seed(0, 0.15, 0), seed(1, 0.12, 0)]).text).toContain('Over the 2 of 5 seeds done so far');
    expect(showSeeds(5, []).text).toContain('the other seeds’ numbers come once this one is done'.replace('’', "'"));
    expect(showSeeds(1, []).text).toBeNull();
  });
});
