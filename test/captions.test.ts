/**
 * Every caption that states the mechanism says what the runs beside it show: at the defaults and at
 * gamma in {0, 0.5, 0.99}, beta in {0.05, 0.15}, each number a caption prints is read back from the
 * trace rows here, and each comparison it makes ("larger", "below", "climbs back") is checked on them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runPairSync } from '../src/engine/experiment';
import { generateDataset } from '../src/sim/data';
import { mechanism, thresholdSeries } from '../src/sim/mechanism';
import { type Config, DEFAULT_CONFIG } from '../src/sim/params';
import type { RunTrace } from '../src/sim/trace';
import { errorsCaption, featureCaption, memoryCaption } from '../src/view/captions';
import { switchBackend } from './support/tf';

beforeAll(() => switchBackend('wasm'));

const SETTINGS: Partial<Config>[] = [{}, { gamma: 0 }, { gamma: 0.5 }, { gamma: 0.99 }, { beta: 0.05 }, { beta: 0.15 }];

const at = (trace: RunTrace, t: number) => trace.rows.find((r) => r.t === t)!;
const num = (s: string) => Number(s);

describe.each(SETTINGS)('captions at %o', (over) => {
  const config: Config = { ...DEFAULT_CONFIG, ...over };
  let gd: RunTrace;
  let gdm: RunTrace;
  let small: Uint8Array;
  let memory: string;
  let feature: string;
  let errors: string;
  beforeAll(() => {
    const data = generateDataset(config);
    ({ gd, gdm } = runPairSync(config, data));
    small = data.train.small;
    const m = mechanism(config, small, gd, gdm);
    const last = { gd: gd.rows.at(-1), gdm: gdm.rows.at(-1) };
    memory = memoryCaption(m, config);
    feature = featureCaption(m, config, last);
    errors = errorsCaption(m, last);
  });

  it('memory: when the large-margin push collapses, for each run, is where its gLarge falls below 10 % of its peak', () => {
    const said = memory.match(/at t = (\d+) for GD and t = (\d+) for GD\+M/) ?? memory.match(/collapses at t = (\d+) in both/);
    if (config.gamma === 0) expect(memory).toMatch(/GD\+M is GD/);
    expect(said, memory).not.toBeNull();
    const steps = said!.slice(1).map(num);
    for (const [trace, t] of [[gd, steps[0]], [gdm, steps[1] ?? steps[0]]] as const) {
      const k = trace.rows.findIndex((r) => r.t === t);
      const peak = Math.max(...trace.rows.slice(0, k + 1).map((r) => r.gLarge));
      expect(trace.rows[k].gLarge).toBeLessThan(0.1 * peak);
      // and not before
      for (let j = 0; j < k; j++) expect(trace.rows[j].gLarge).toBeGreaterThanOrEqual(0.1 * Math.max(...trace.rows.slice(0, j + 1).map((r) => r.gLarge)));
    }
  });

  it('memory: "far below GD\'s" and the small-margin ratio hold on the rows', () => {
    const below = memory.match(/By t = (\d+) GD\+M's own large-margin gradient is far below GD's/);
    if (below) expect(at(gdm, num(below[1])).gLarge).toBeLessThan(at(gd, num(below[1])).gLarge);
    const ratio = memory.match(/a median (\d+(?:\.\d+)?)× GD's/);
    if (ratio) {
      expect(memory).toMatch(/larger for GD\+M/);
      expect(num(ratio[1])).toBeGreaterThan(1);
      // the median over the rows from GD+M's collapse on
      const t0 = num(memory.match(/t = (\d+) for GD\+M/)![1]);
      const ratios = gdm.rows.filter((r) => r.t >= t0).map((r) => r.gSmall / at(gd, r.t).gSmall).filter((x) => x > 0 && Number.isFinite(x)).sort((a, b) => a - b);
      const median = ratios.length % 2 ? ratios[ratios.length >> 1] : (ratios[ratios.length / 2 - 1] + ratios[ratios.length / 2]) / 2;
      expect(num(ratio[1])).toBeCloseTo(median, median >= 10 ? -0.5 : 1);
    }
  });

  it("feature: the growth after GD+M's collapse and GD's over the same steps are read off the rows", () => {
    const grows = feature.match(/collapses at t = (\d+), its c still grows by (\d+(?:\.\d+)?) by t = (\d+) \(GD's: (-?\d+(?:\.\d+)?)/);
    if (config.gamma === 0) {
      expect(feature).toMatch(/nothing is carried/);
      return;
    }
    expect(grows, feature).not.toBeNull();
    const [t0, growth, t1, gdGrowth] = grows!.slice(1).map(num);
    const k0 = gdm.rows.findIndex((r) => r.t === t0);
    const k1 = gdm.rows.findIndex((r) => r.t === t1);
    const r = gdm.rows[k0].rStar;
    expect(gdm.detail.c[k1 * config.m + r] - gdm.detail.c[k0 * config.m + r]).toBeCloseTo(growth, 2);
    expect(at(gd, t1).cMax - at(gd, t0).cMax).toBeCloseTo(gdGrowth, 2);
  });

  it('feature: above / below the threshold at the end, as the rows say', () => {
    for (const [name, trace] of [['GD', gd], ['GD\\+M', gdm]] as const) {
      const said = feature.match(new RegExp(`${name}'s c = (\\d+(?:\\.\\d+)?) is (above|below) its c\\* = (\\d+(?:\\.\\d+)?)`));
      expect(said, feature).not.toBeNull();
      const c = trace.rows.at(-1)!.cMax;
      const th = thresholdSeries(trace, small, config.beta).at(-1)!;
      expect(num(said![1])).toBeCloseTo(c, 2);
      expect(num(said![3])).toBeCloseTo(th, 2);
      expect(said![2]).toBe(c > th ? 'above' : 'below');
    }
  });

  it("errors: the final errors, and GD's dip and climb when it says so", () => {
    const final = errors.match(/on small-margin test examples (\d+(?:\.\d+)?) % \(GD\) and (\d+(?:\.\d+)?) % \(GD\+M\)/);
    expect(final, errors).not.toBeNull();
    expect(num(final![1]) / 100).toBeCloseTo(gd.rows.at(-1)!.testErrSmall, 3);
    expect(num(final![2]) / 100).toBeCloseTo(gdm.rows.at(-1)!.testErrSmall, 3);
    const dip = errors.match(/first falls to (\d+(?:\.\d+)?) % at t = (\d+).*climbs back to (\d+(?:\.\d+)?) %/);
    if (dip) {
      const [low, t, end] = [num(dip[1]) / 100, num(dip[2]), num(dip[3]) / 100];
      expect(at(gd, t).testErrSmall).toBeCloseTo(low, 3);
      expect(end - low).toBeGreaterThan(0.1);
      expect(gd.rows.at(-1)!.testErrSmall).toBeCloseTo(end, 3);
    }
    // at the defaults the dip is there (science.md: ~5 % around t = 50-250, then chance)
    if (Object.keys(over).length === 0) expect(dip, errors).not.toBeNull();
  });
});
