/**
 * The what-if runs (issue #13) in the engine: every run type's trajectory against the float64
 * reference (src/sim/reference.ts, written with its own loops for the schedules and the batches),
 * and the edge cases where a what-if must be exactly one of the protagonists.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../src/sim/data';
import { referenceRun } from '../src/sim/reference';
import { type RunChoice, runSpecs } from '../src/sim/runs';
import { rowLayout } from '../src/sim/trace';
import { SMALL, withConfig } from './support/configs';
import { switchBackend, trainAll } from './support/tf';
import { relErr } from './support/numbers';

describe.each(['wasm', 'cpu'] as const)('what-if runs on %s', (backend) => {
  beforeAll(() => switchBackend(backend));

  // N = 40 with b = 7: six steps per epoch, the last batch of 5 (a partial batch every epoch).
  const cfg = withConfig({ T: 60, logEvery: 5, eta: 0.5, seed: 3 }, SMALL);
  const lineups: [string, RunChoice[], Partial<typeof cfg>][] = [
    ['ema', [{ id: 'gd' }, { id: 'gdm' }, { id: 'gdm-until', arg: 20 }, { id: 'gdm-from', arg: 15 }, { id: 'gd-eta', arg: 0.8 }, { id: 'sgd', arg: 7 }, { id: 'sgdm', arg: 7 }], {}],
    ['heavy ball', [{ id: 'gdm-until', arg: 12 }, { id: 'gdm-from', arg: 25 }, { id: 'sgdm', arg: 13 }], { momentumForm: 'heavyball', eta: 0.05 }],
  ];

  it.each(lineups)('%s: every run type follows the float64 reference', (_, lineup, over) => {
    const c = { ...cfg, ...over };
    const data = generateDataset(c);
    const specs = runSpecs(c, lineup);
    const { traces } = trainAll(c, data, specs);
    specs.forEach((spec, k) => {
      const ref = referenceRun(data, spec, c.T, c.logEvery, c.seed);
      expect(traces[k].rows.map((r) => r.t)).toEqual(ref.map((r) => r.t));
      ref.forEach((want, s) => {
        const got = traces[k].rows[s];
        const what = `${spec.name} at t=${want.t}`;
        const at = (a: Float32Array, n: number) => a.subarray(s * n, (s + 1) * n);
        expect(got.loss, what).toBeCloseTo(want.loss, 4);
        expect(got.trainErr, what).toBeCloseTo(want.trainErr, 6);
        expect(got.testErr, what).toBeCloseTo(want.testErr, 6);
        expect(relErr(at(traces[k].detail.c, c.m), want.c), what).toBeLessThan(1e-4);
        expect(relErr(at(traces[k].detail.signal, c.N), want.signal), what).toBeLessThan(1e-3);
        expect(relErr(at(traces[k].detail.noise, c.N), want.noise), what).toBeLessThan(1e-3);
      });
    });
  });

  it('the runs really differ: each what-if leaves the pair at the step it is meant to', () => {
    const data = generateDataset(cfg);
    const lineup: RunChoice[] = [{ id: 'gd' }, { id: 'gdm' }, { id: 'gdm-until', arg: 20 }, { id: 'gdm-from', arg: 15 }, { id: 'sgd', arg: 7 }];
    const { traces } = trainAll(cfg, data, runSpecs(cfg, lineup));
    const [gd, gdm, until, from, sgd] = traces;
    const c = (trace: typeof gd, s: number) => Array.from(trace.detail.c.subarray(s * cfg.m, (s + 1) * cfg.m));
    const step = (t: number) => t / cfg.logEvery;
    // gdm-until=20 is GD+M up to W_20, then parts from it; gdm-from=15 is GD up to W_15.
    expect(c(until, step(20))).toEqual(c(gdm, step(20)));
    expect(c(until, step(25))).not.toEqual(c(gdm, step(25)));
    expect(c(from, step(15))).toEqual(c(gd, step(15)));
    expect(c(from, step(20))).not.toEqual(c(gd, step(20)));
    // one step of SGD already differs from GD (W_1 is logged at t = 5 here: after 5 steps)
    expect(c(sgd, step(5))).not.toEqual(c(gd, step(5)));
  });

  it('at the ends of their ranges the what-ifs are exactly GD or GD+M (same batch, same numbers)', () => {
    const data = generateDataset(cfg);
    const lineup: RunChoice[] = [
      { id: 'gd' }, { id: 'gdm' }, { id: 'gdm-until', arg: cfg.T }, { id: 'gdm-from', arg: 0 }, { id: 'sgd', arg: cfg.N }, { id: 'gd-eta', arg: cfg.eta },
    ];
    const { packed, traces } = trainAll(cfg, data, runSpecs(cfg, lineup));
    const L = rowLayout(cfg.m, cfg.N).length;
    const R = lineup.length;
    const rows = (k: number) => traces[0].rows.flatMap((_, s) => Array.from(packed.subarray((s * R + k) * L, (s * R + k + 1) * L)));
    // momentum until T: GD+M at every W_t; only the step it would take from W_T (gStep of the last
    // row) is GD's, since momentum is over by then
    const last = traces[0].rows.length - 1;
    const upToLast = (k: number) => rows(k).slice(0, last * L + rowLayout(cfg.m, cfg.N).gStep);
    expect(upToLast(2)).toEqual(upToLast(1));
    expect(rows(2)).not.toEqual(rows(1));
    expect(rows(3)).toEqual(rows(1)); // momentum from 0: GD+M
    expect(rows(4)).toEqual(rows(0)); // batch N: the full batch, weighted N / N = 1
    expect(rows(5)).toEqual(rows(0)); // its own eta, equal to eta
    // and gdm-until=0 (momentum never on) is GD
    const never = trainAll(cfg, data, runSpecs(cfg, [{ id: 'gd' }, { id: 'gdm-until', arg: 0 }])).packed;
    expect(Array.from(never.filter((_, i) => Math.floor(i / L) % 2 === 1))).toEqual(Array.from(never.filter((_, i) => Math.floor(i / L) % 2 === 0)));
  });
});
