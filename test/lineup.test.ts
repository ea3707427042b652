import { describe, expect, it } from 'vitest';
import { BatchOrder, stepsPerEpoch } from '../src/sim/batches';
import { clampLineup, formatLineup, parseLineup } from '../src/sim/lineup';
import { DEFAULT_CONFIG } from '../src/sim/params';
import { RUNS, RUN_NAMES, coefficientsAt, runDef, runSpec, runSpecs } from '../src/sim/runs';
import { withConfig } from './support/configs';

const C = DEFAULT_CONFIG;

describe('the run registry', () => {
  it('declares an argument with a default inside its range for every parametrized run', () => {
    const withArg = RUN_NAMES.filter((id) => 'arg' in RUNS[id]);
    expect(withArg).toEqual(['gdm-until', 'gdm-from', 'gd-eta', 'sgd', 'sgdm']);
    for (const id of withArg) {
      const arg = runDef(id).arg!;
      const [lo, hi] = arg.range(C);
      expect(arg.default, id).toBeGreaterThanOrEqual(lo);
      expect(arg.default, id).toBeLessThanOrEqual(hi);
    }
    expect(runDef('gdm-until').arg!.range(C)).toEqual([0, C.T]);
    expect(runDef('sgd').arg!.range(C)).toEqual([1, C.N]);
    expect(runDef('gd-eta').arg!.range(C)).toEqual([0.0001, 100]);
  });

  it('gives each run its coefficients step by step: buf <- a buf + b grad', () => {
    const ema = { a: C.gamma, b: 1 - C.gamma };
    const gd = { a: 0, b: 1 };
    const until = runSpec({ id: 'gdm-until', arg: 60 }, C);
    expect([0, 59, 60, 1000].map((t) => coefficientsAt(until, t))).toEqual([ema, ema, gd, gd]);
    const from = runSpec({ id: 'gdm-from', arg: 30 }, C);
    // at t = K the buffer starts empty: a = 0 for that one step
    expect([0, 29, 30, 31].map((t) => coefficientsAt(from, t))).toEqual([gd, gd, { a: 0, b: 1 - C.gamma }, ema]);
    const [pd, pm] = runSpecs(C);
    expect(coefficientsAt(pd, 5)).toEqual(gd);
    expect(coefficientsAt(pm, 0)).toEqual(ema);
    expect(coefficientsAt(runSpec('gdm', withConfig({ momentumForm: 'heavyball' })), 7)).toEqual({ a: C.gamma, b: 1 });
    expect(runSpec({ id: 'gd-eta', arg: 3 }, C)).toMatchObject({ eta: 3, gamma: 0 });
    expect(runSpec({ id: 'sgdm', arg: 50 }, C)).toMatchObject({ eta: C.eta, gamma: C.gamma, batch: 50 });
    expect(runSpec({ id: 'sgd' }, C)).toMatchObject({ gamma: 0, batch: 50 }); // the default b
    // plain data: survives structured cloning (worker messages) unchanged
    expect(structuredClone(runSpecs(C, ['gd', 'gdm', 'gdm-until']))).toEqual(runSpecs(C, ['gd', 'gdm', 'gdm-until']));
  });
});

describe('lineups as text', () => {
  it('parses a list, puts gd and gdm first, and formats it back', () => {
    const parsed = parseLineup('gd,gdm,gdm-until=60,gd-eta=3,sgd=50', C);
    expect(parsed).toEqual({ ok: true, lineup: [{ id: 'gd' }, { id: 'gdm' }, { id: 'gdm-until', arg: 60 }, { id: 'gd-eta', arg: 3 }, { id: 'sgd', arg: 50 }] });
    expect(formatLineup(parsed.ok ? parsed.lineup : [])).toBe('gd,gdm,gdm-until=60,gd-eta=3,sgd=50');
    expect(parseLineup('sgdm=10, gdm ,gdm-from=0', C)).toEqual({ ok: true, lineup: [{ id: 'gd' }, { id: 'gdm' }, { id: 'sgdm', arg: 10 }, { id: 'gdm-from', arg: 0 }] });
    expect(formatLineup([{ id: 'gd' }, { id: 'gdm' }, { id: 'sgd' }])).toBe('gd,gdm,sgd=50');
  });

  it('reports every problem, naming the run and the allowed range', () => {
    const r = parseLineup('gdm,foo,gdm-until=2000,sgd=0,sgdm=2.5,gd-eta=abc,gdm-from,gd=3,gdm-until=5,,sgd=0x10', C);
    expect(r.ok).toBe(false);
    const errors = r.ok ? [] : r.errors;
    expect(errors).toEqual([
      expect.stringMatching(/^unknown run "foo"; runs are gd, gdm, gdm-until=K, gdm-from=K, gd-eta=eta', sgd=b, sgdm=b$/),
      'gdm-until: K must be an integer from 0 to 1500 (got "2000")',
      'sgd: b must be an integer from 1 to 500 (got "0")',
      'sgdm: b must be an integer from 1 to 500 (got "2.5")',
      'gd-eta: eta\' must be a number from 0.0001 to 100 (got "abc")',
      expect.stringMatching(/^gdm-from needs its argument: gdm-from=K, K is an integer from 0 to 1500/),
      expect.stringMatching(/^gd takes no argument/),
      'gdm-until is given more than once (one run per id)',
      expect.stringMatching(/empty entry/),
      expect.stringMatching(/^sgd is given more than once/),
    ]);
    expect(parseLineup('', C).ok).toBe(false);
    // ranges follow the config
    expect(parseLineup('gdm-until=100', withConfig({ T: 50 }))).toEqual({ ok: false, errors: ['gdm-until: K must be an integer from 0 to 50 (got "100")'] });
  });

  it('clamps for the URL, with a note for every change', () => {
    const { lineup, notes } = clampLineup('sgd=9999,foo,gdm-until=-5,gdm-until=7,gd-eta=x,sgdm=12.4', C);
    expect(lineup).toEqual([{ id: 'gd' }, { id: 'gdm' }, { id: 'sgd', arg: 500 }, { id: 'gdm-until', arg: 0 }, { id: 'gd-eta', arg: 3 }, { id: 'sgdm', arg: 12 }]);
    expect(notes).toHaveLength(6);
    expect(notes[0]).toMatch(/sgd: b must be an integer from 1 to 500 .*using 500/);
    expect(clampLineup('gd,gdm,gdm-from=60', C)).toEqual({ lineup: [{ id: 'gd' }, { id: 'gdm' }, { id: 'gdm-from', arg: 60 }], notes: [] });
    // a default outside the range at this config is clamped too
    expect(clampLineup('gdm-until', withConfig({ T: 30 })).lineup[2]).toEqual({ id: 'gdm-until', arg: 30 });
  });
});

describe('minibatch orders', () => {
  it('visit every example once per epoch, in a seeded order, the last batch shorter', () => {
    const N = 23;
    const b = 5;
    const order = new BatchOrder(4, N);
    const E = stepsPerEpoch(N, b);
    expect(E).toBe(5);
    for (let e = 0; e < 3; e++) {
      const seen = Array.from({ length: E }, (_, k) => Array.from(order.batch(e * E + k, b)));
      expect(seen.map((x) => x.length)).toEqual([5, 5, 5, 5, 3]);
      expect(seen.flat().sort((x, y) => x - y)).toEqual(Array.from({ length: N }, (_, i) => i));
    }
    expect(Array.from(order.epoch(0))).not.toEqual(Array.from(order.epoch(1)));
    expect(Array.from(new BatchOrder(4, N).epoch(2))).toEqual(Array.from(order.epoch(2)));
    expect(Array.from(new BatchOrder(5, N).epoch(0))).not.toEqual(Array.from(order.epoch(0)));
    order.forget(2);
    expect(() => order.epoch(1)).toThrow(/forgotten/);
  });
});
