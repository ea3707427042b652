/**
 * The causal chain measured on real pairs of runs (sim/mechanism.ts), at the defaults and at the
 * settings the page's claims must survive: gamma in {0, 0.5, 0.99}, beta in {0.05, 0.15}.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runPairSync } from '../src/engine/experiment';
import { generateDataset } from '../src/sim/data';
import { mechanism } from '../src/sim/mechanism';
import { type Config, DEFAULT_CONFIG } from '../src/sim/params';
import { switchBackend } from './support/tf';

beforeAll(() => switchBackend('wasm'));

function pair(over: Partial<Config>) {
  const config = { ...DEFAULT_CONFIG, ...over };
  const data = generateDataset(config);
  const runs = runPairSync(config, data);
  return { config, data, runs, m: mechanism(config, data.train.small, runs.gd, runs.gdm) };
}

describe('the logged rows', () => {
  it('every step through the transition: c_r(t + 1) - c_r(t) = eta x the step along w* (the identity the carry rests on)', () => {
    const { config, runs } = pair({ T: 120 });
    for (const run of [runs.gd, runs.gdm]) {
      for (let k = 0; k + 1 < run.rows.length && run.rows[k + 1].t < 100; k++) {
        expect(run.rows[k + 1].t).toBe(run.rows[k].t + 1);
        const r = run.rows[k].rStar;
        const dc = run.detail.c[(k + 1) * config.m + r] - run.detail.c[k * config.m + r];
        expect(dc).toBeCloseTo(config.eta * run.rows[k].gStep, 4);
      }
    }
  });
});

describe('the mechanism at the defaults', () => {
  let m: ReturnType<typeof pair>['m'];
  let runs: ReturnType<typeof pair>['runs'];
  beforeAll(() => ({ m, runs } = pair({})));

  it('both fit the large-margin examples within a few dozen steps', () => {
    expect(m.fitted.gd).not.toBeNull();
    expect(m.fitted.gdm).not.toBeNull();
    expect(m.fitted.gd!).toBeLessThan(60);
    expect(m.fitted.gdm!).toBeLessThan(60);
  });

  it('"fitted" (y f > 0) comes before the large-margin push collapses', () => {
    expect(m.collapsed.gd!).toBeGreaterThan(m.fitted.gd!);
    expect(m.collapsed.gdm!).toBeGreaterThan(m.fitted.gdm!);
  });

  it('the buffer carries c on after the large-margin push collapses: most of the growth that follows, close to its estimate, far beyond GD', () => {
    const c = m.carry!;
    expect(c.g0).toBeGreaterThan(0.1);
    expect(c.carried).toBeGreaterThan(1);
    expect(c.carried / c.growth).toBeGreaterThan(0.5);
    expect(c.carried).toBeLessThanOrEqual(c.estimate + 1e-9);
    expect(c.carried / c.estimate).toBeGreaterThan(0.95);
    expect(c.growth).toBeGreaterThan(3 * (c.gdGrowth ?? 0));
  });

  it('GD+M then pushes harder on w* through the small-margin examples', () => {
    expect(m.smallPushRatio!.median).toBeGreaterThan(2);
  });

  it("GD's small-margin test error dips, then climbs back towards chance", () => {
    const dip = m.gdDip!;
    expect(dip.min).toBeLessThan(0.2);
    expect(dip.final).toBeGreaterThan(0.35);
    // the final row is the one the page shows at the end
    expect(dip.final).toBe(runs.gd.rows.at(-1)!.testErrSmall);
  });

  it("at the end GD's feature is below the threshold its memorized noise sets, GD+M's above its own", () => {
    const { gd, gdm } = m.finalThreshold;
    expect(gd!.c).toBeLessThan(gd!.threshold);
    expect(gdm!.c).toBeGreaterThan(gdm!.threshold);
  });
});

describe('at other settings the numbers stay defined and consistent', () => {
  it.each([{ gamma: 0 }, { gamma: 0.5 }, { gamma: 0.99 }, { beta: 0.05 }, { beta: 0.15 }])('%o', (over) => {
    const { m } = pair({ ...over, T: 600 });
    if (over.gamma === 0) {
      // GD+M is GD: nothing is carried
      expect(m.carry?.carried ?? 0).toBe(0);
      expect(m.fitted.gdm).toBe(m.fitted.gd);
    }
    if (m.carry) {
      expect(m.carry.carried).toBeLessThanOrEqual(m.carry.estimate + 1e-9);
      expect(m.carry.t1).toBeGreaterThan(m.carry.t0);
    }
    if (m.smallPushRatio) expect(m.smallPushRatio.min).toBeLessThanOrEqual(m.smallPushRatio.max);
  });
});
