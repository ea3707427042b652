/**
 * The paper's claim at the default setting (science.md): both optimizers fit the training set,
 * GD memorizes the small-margin examples and fails on their test counterparts, GD+M learns the
 * feature and generalizes. Real training, real backend, no tolerance tuned to a seed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../src/sim/data';
import { DEFAULT_CONFIG } from '../src/sim/params';
import { referenceRun } from '../src/sim/reference';
import { type RunResult, runPairSync } from '../src/engine/experiment';
import { runSpecs } from '../src/sim/runs';
import { withConfig } from './support/configs';
import { switchBackend } from './support/tf';

const SEEDS = [0, 1, 2];

describe('GD memorizes, GD+M learns the feature (default setting, T = 1500)', () => {
  const results: Record<number, Record<string, RunResult>> = {};
  beforeAll(async () => {
    await switchBackend('wasm');
    for (const seed of SEEDS) {
      const cfg = withConfig({ seed });
      results[seed] = runPairSync(cfg, generateDataset(cfg));
    }
  });
  const final = (seed: number, run: string) => results[seed][run].rows.at(-1)!;
  const mean = (run: string, f: 'testErr' | 'testErrSmall') => SEEDS.reduce((s, seed) => s + final(seed, run)[f], 0) / SEEDS.length;

  it.each(SEEDS)('seed %i: both runs reach zero training error, without diverging', (seed) => {
    for (const run of ['gd', 'gdm']) {
      expect(final(seed, run).t).toBe(1500);
      expect(final(seed, run).trainErr).toBe(0);
      expect(results[seed][run].divergedAt).toBeNull();
    }
  });

  it('averaged over seeds, GD fails on the small-margin test examples and GD+M does not', () => {
    expect(mean('gd', 'testErr')).toBeGreaterThanOrEqual(0.1);
    expect(mean('gd', 'testErrSmall')).toBeGreaterThanOrEqual(0.35);
    expect(mean('gdm', 'testErr')).toBeLessThanOrEqual(0.02);
  });

  it.each(SEEDS)('seed %i: GD+M beats GD by at least 0.08', (seed) => {
    expect(final(seed, 'gd').testErr - final(seed, 'gdm').testErr).toBeGreaterThanOrEqual(0.08);
  });

  it.each(SEEDS)('seed %i: GD fits the small-margin examples by noise, GD+M by the feature', (seed) => {
    expect(final(seed, 'gd').smallByFeature).toBeLessThan(0.2);
    expect(final(seed, 'gdm').smallByFeature).toBeGreaterThan(0.8);
    expect(final(seed, 'gdm').cMax).toBeGreaterThan(final(seed, 'gd').cMax);
  });

  it('GD fits the large-margin examples early; the runs only part ways later (T must be long)', () => {
    for (const seed of SEEDS) {
      const gd = results[seed].gd.rows;
      expect(gd.find((r) => r.t === 50)!.trainErrLarge).toBe(0);
      expect(gd.find((r) => r.t === 300)!.testErrSmall).toBeLessThan(final(seed, 'gd').testErrSmall);
    }
  });
});

describe('the float64 reference reproduces the default experiment (seed 0)', () => {
  it('gives the same final errors and feature as the engine', async () => {
    await switchBackend('wasm');
    const cfg = withConfig({ logEvery: 500 });
    const data = generateDataset(cfg);
    const engine = runPairSync(cfg, data);
    for (const run of runSpecs(cfg)) {
      const want = referenceRun(data, run, cfg.T, cfg.logEvery).at(-1)!;
      const got = engine[run.name].rows.at(-1)!;
      expect(Math.abs(got.testErr - want.testErr), run.name).toBeLessThanOrEqual(0.005);
      expect(Math.abs(got.testErrSmall - want.testErrSmall), run.name).toBeLessThanOrEqual(0.02);
      expect(got.trainErr).toBe(want.trainErr);
      expect(got.cMax / Math.max(...want.c)).toBeCloseTo(1, 2);
    }
    expect(cfg.T).toBe(DEFAULT_CONFIG.T);
  }, 300_000);
});
