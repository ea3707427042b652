/**
 * Results over seeds: the pure statistics the verdict, the run cards and the errors figure's bands
 * show (sim/seeds.ts), the store that keeps each seed's summary (state/training.ts) and the
 * selector that derives the runs over seeds (state/selectors.ts), on hand-made summaries whose
 * answers are known.
 */
import { describe, expect, it } from 'vitest';
import { SEED_FIELDS, type SeedSummary, runOverSeeds, seedsWhere } from '../src/sim/seeds';
import { DEFAULT_CONFIG } from '../src/sim/params';
import { seedsViewOf } from '../src/state/selectors';
import { PRECOMPUTED_RUN_ID, initialTraining, reduceTraining } from '../src/state/training';

const F = SEED_FIELDS.length;
const TE = SEED_FIELDS.indexOf('testErr');

/** A summary whose testErr rows are `testErr` (one per logged step) and whose other fields are the seed. */
function summary(seed: number, runs: Record<string, number[]>): SeedSummary {
  const ts = runs[Object.keys(runs)[0]].map((_, k) => k * 10);
  return {
    seed,
    ts,
    summary: Object.fromEntries(
      Object.entries(runs).map(([name, testErr]) => {
        const rows = new Float32Array(testErr.length * F).fill(seed);
        testErr.forEach((v, k) => (rows[k * F + TE] = v));
        return [name, rows];
      }),
    ),
  };
}

describe('a run over seeds', () => {
  const seeds = [summary(2, { gd: [0.5, 0.25, 0.125], gdm: [0.5, 0.25, 0] }), summary(0, { gd: [0.5, 0.5, 0.25], gdm: [0.5, 0, 0] }), summary(1, { gd: [0.5, 0.375, 0.5], gdm: [0.5, 0.125, 0.375] })];

  it('final values: mean, min and max over the seeds, in seed order', () => {
    const gd = runOverSeeds(seeds, 'gd')!;
    expect(gd.seeds).toEqual([0, 1, 2]);
    expect(gd.finals.testErr).toEqual([0.25, 0.5, 0.125]);
    expect(gd.final.testErr).toEqual({ mean: 0.875 / 3, min: 0.125, max: 0.5, count: 3 });
    expect(gd.final.cMax).toEqual({ mean: 1, min: 0, max: 2, count: 3 });
  });

  it('the band: min, mean and max at every logged step', () => {
    const gdm = runOverSeeds(seeds, 'gdm')!;
    expect(gdm.ts).toEqual([0, 10, 20]);
    expect(Array.from(gdm.band.testErr.min)).toEqual([0.5, 0, 0]);
    expect(Array.from(gdm.band.testErr.max)).toEqual([0.5, 0.25, 0.375]);
    expect(Array.from(gdm.band.testErr.mean)).toEqual([0.5, 0.125, 0.125]);
  });

  it('a diverged seed (NaN) is left out of the statistics, and a run no seed has is null', () => {
    const withNaN = [...seeds, summary(3, { gd: [0.5, Number.NaN, Number.NaN], gdm: [0.5, 0, 0] })];
    const gd = runOverSeeds(withNaN, 'gd')!;
    expect(gd.seeds).toEqual([0, 1, 2, 3]);
    expect(gd.final.testErr.count).toBe(3);
    expect(gd.final.testErr.max).toBe(0.5);
    expect(runOverSeeds(seeds, 'sgd')).toBeNull();
  });

  it('counts the seeds where one run beats the other by more than a margin', () => {
    // final gd - gdm: seed 0: 0.25, seed 1: 0.125, seed 2: 0.125
    expect(seedsWhere(seeds, 'gdm', 'gd', 0.2)).toEqual({ count: 1, of: 3 });
    expect(seedsWhere(seeds, 'gdm', 'gd', 0.1)).toEqual({ count: 3, of: 3 });
    expect(seedsWhere(seeds, 'gd', 'gdm', 0)).toEqual({ count: 0, of: 3 });
  });
});

describe('the store over seeds', () => {
  const config = { ...DEFAULT_CONFIG, seeds: 3 };
  const started = reduceTraining(initialTraining, {
    type: 'started',
    runId: 7,
    config,
    runs: ['gd', 'gdm'],
    reused: [],
    small: new Uint8Array(config.N),
    examples: [],
  } as never);
  const seed = (runId: number, s: SeedSummary) => ({ type: 'seed' as const, runId, seed: s.seed, ts: s.ts, summary: s.summary });

  it('keeps each seed once, in seed order; drops other runs\' seeds; a new start clears them', () => {
    let state = reduceTraining(started, seed(7, summary(1, { gd: [0.5, 0.3], gdm: [0.5, 0] })));
    state = reduceTraining(state, seed(7, summary(0, { gd: [0.5, 0.2], gdm: [0.5, 0.1] })));
    state = reduceTraining(state, seed(7, summary(1, { gd: [0.5, 0.4], gdm: [0.5, 0] })));
    state = reduceTraining(state, seed(6, summary(2, { gd: [0.5, 0.4], gdm: [0.5, 0] })));
    expect(state.seeds.map((s) => s.seed)).toEqual([0, 1]);
    expect(state.seeds[1].summary.gd![F + TE]).toBeCloseTo(0.4, 6);
    const view = seedsViewOf(state)!;
    expect(view).toMatchObject({ S: 3, done: 2 });
    expect(view.runs.gd!.final.testErr.mean).toBeCloseTo(0.3, 6);
    // derived once per seeds array
    expect(seedsViewOf(state)).toBe(view);
    const again = reduceTraining(state, { type: 'started', runId: 8, config, runs: ['gd', 'gdm'], reused: [], small: new Uint8Array(config.N), examples: [] } as never);
    expect(again.seeds).toEqual([]);
  });

  it('one seed has no view over seeds', () => {
    const one = { ...started, config: { ...config, seeds: 1 }, seeds: [summary(0, { gd: [0.5], gdm: [0.5] })] };
    expect(seedsViewOf(one)).toBeNull();
  });

  it('the precomputed run: its seeds come after it, and survive its full rows replacing the first view', () => {
    const header = { config, ts: [0, 10], runs: ['gd', 'gdm'], engine: { backend: 'wasm', tfjs: '4', runtime: 'Node' }, date: 'd' };
    const run = { header, small: new Uint8Array(config.N), examples: [], traces: {}, complete: false } as never;
    let state = reduceTraining(initialTraining, { type: 'precomputed', run });
    state = reduceTraining(state, seed(PRECOMPUTED_RUN_ID, summary(0, { gd: [0.5, 0.2], gdm: [0.5, 0] })));
    state = reduceTraining(state, { type: 'precomputed', run });
    expect(state.seeds.map((s) => s.seed)).toEqual([0]);
  });
});
