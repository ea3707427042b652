import { beforeAll, describe, expect, it } from 'vitest';
import type { PanelData } from '../src/state/panel-data';
import { loggedSteps } from '../src/sim/trace';
import { TRACE_COLUMNS, type TraceJson, exportName, traceCsv, traceJson, traceJsonText } from '../src/ui/export/data';
import { SEED_FIELDS } from '../src/sim/seeds';
import { seedsViewOf } from '../src/state/selectors';
import { FIXTURE_CONFIG, fixturePanelData } from './support/panel-fixture';

let data: PanelData;
beforeAll(async () => {
  data = await fixturePanelData();
});

describe('CSV of the trace', () => {
  it('has a header run,t and every trace-row field, then one line per logged step per run, with the run’s numbers', () => {
    const lines = traceCsv(data).trimEnd().split('\n');
    const header = lines[0].split(',');
    expect(header).toEqual(['run', ...TRACE_COLUMNS]);
    // every field of a trace row is a column, and nothing else
    expect([...TRACE_COLUMNS].sort()).toEqual(Object.keys(data.runs.gd!.rows[0]).sort());
    const { T, logEvery } = FIXTURE_CONFIG;
    const K = loggedSteps(T, logEvery).length;
    expect(lines).toHaveLength(1 + 2 * K);
    for (const [k, run] of [
      [0, 'gd'],
      [K, 'gdm'],
    ] as const) {
      const rows = data.runs[run]!.rows;
      const cells = lines.slice(1 + k, 1 + k + K).map((l) => l.split(','));
      expect(cells.every((c) => c.length === header.length && c[0] === run)).toBe(true);
      expect(cells.map((c) => Number(c[1]))).toEqual(loggedSteps(T, logEvery));
      // the numbers read back exactly
      cells.forEach((c, i) => TRACE_COLUMNS.forEach((f, j) => expect(Number(c[j + 1])).toBe(rows[i][f])));
    }
  });

  it('spells out numbers that are not finite', () => {
    const rows = data.runs.gd!.rows.map((r, i) => (i === 1 ? { ...r, loss: Number.NaN, cMax: Number.POSITIVE_INFINITY } : r));
    const csv = traceCsv({ ...data, runs: { gd: { ...data.runs.gd!, rows } } });
    const line = csv.split('\n')[2].split(',');
    expect(line[TRACE_COLUMNS.indexOf('loss') + 1]).toBe('NaN');
    expect(line[TRACE_COLUMNS.indexOf('cMax') + 1]).toBe('Infinity');
  });
});

describe('JSON of the trace', () => {
  it('parses into {config, runs: {gd: {rows}, gdm: {rows}}} with every row, and per-example detail when small', () => {
    const parsed = JSON.parse(traceJsonText(data, 120));
    expect(parsed.config).toEqual(FIXTURE_CONFIG);
    expect(parsed.shownStep).toBe(120);
    expect(parsed.small).toEqual(Array.from(data.small));
    expect(Object.keys(parsed.runs)).toEqual(['gd', 'gdm']);
    for (const run of ['gd', 'gdm'] as const) {
      const rows = data.runs[run]!.rows;
      expect(parsed.runs[run].rows).toHaveLength(rows.length);
      expect(parsed.runs[run].rows[5]).toEqual(JSON.parse(JSON.stringify(rows[5])));
      const { detail } = parsed.runs[run];
      const { m } = FIXTURE_CONFIG;
      const N = data.small.length;
      expect(detail.c).toHaveLength(rows.length * m);
      expect(detail.signal).toHaveLength(rows.length * N);
      expect(detail.noise[3 * N + 7]).toBeCloseTo(data.runs[run]!.detail.noise[3 * N + 7], 5);
    }
    expect(parsed.detail).toMatch(/^included/);
  });

  it('leaves the detail out, and says so, above the limit', () => {
    const json = traceJson(data, null, 100);
    expect(json.detail).toMatch(/^omitted/);
    expect(json.runs.gd.detail).toBeUndefined();
    expect(json.runs.gdm.rows).toHaveLength(data.runs.gdm!.rows.length);
  });
});

describe('file names', () => {
  it('name the panel and the shown step', () => {
    expect(exportName('race', 'png', 1500)).toBe('momentum-race-t1500.png');
    expect(exportName('race', 'webm')).toBe('momentum-race.webm');
    expect(exportName('feature', 'csv', 12.4)).toBe('momentum-feature-t12.csv');
  });
});

describe('JSON of the trace over seeds', () => {
  it('carries each run\'s seeds, their final values and spread (the rows stay the focus seed\'s); with one seed none', () => {
    const F = SEED_FIELDS.length;
    const ts = data.runs.gd!.rows.map((r) => r.t);
    const summary = (v: number) => {
      const rows = new Float32Array(ts.length * F);
      rows[(ts.length - 1) * F + SEED_FIELDS.indexOf('testErr')] = v;
      return rows;
    };
    const seeds = [0.25, 0.5].map((v, s) => ({ seed: s, ts, summary: { gd: summary(v), gdm: summary(v / 2) } }));
    const withSeeds = { ...data, seeds: seedsViewOf({ config: { ...data.config, seeds: 2 }, runNames: ['gd', 'gdm'], seeds })! };
    const json = JSON.parse(traceJsonText(withSeeds)) as TraceJson;
    expect(json.seeds).toMatchObject({ S: 2, done: 2 });
    expect(json.seeds!.runs.gd.seeds).toEqual([0, 1]);
    expect(json.seeds!.runs.gd.finals.testErr).toEqual([0.25, 0.5]);
    expect(json.seeds!.runs.gdm.final.testErr).toEqual({ mean: 0.1875, min: 0.125, max: 0.25, count: 2 });
    expect(json.runs.gd.rows.length).toBe(data.runs.gd!.rows.length);
    expect((JSON.parse(traceJsonText(data)) as TraceJson).seeds).toBeUndefined();
  });
});
