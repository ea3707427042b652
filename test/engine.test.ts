import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, generateDataset } from '../src/sim/data';
import { type Config, DEFAULT_CONFIG } from '../src/sim/params';
import { referenceGradient, referenceRun } from '../src/sim/reference';
import { SUMMARY_FIELDS } from '../src/sim/trace';
import { runSpecs } from '../src/sim/runs';
import { BatchTrainer } from '../src/engine/trainer';
import { sumPerRun } from '../src/engine/step';
import { KernelScope } from '../src/engine/kernels';
import { SMALL, withConfig } from './support/configs';
import { trainAll, switchBackend } from './support/tf';
import { relErr } from './support/numbers';

/**
 * The gradient, written independently of src/ straight from science.md:
 *   grad_{w_r} L = -(1/N) sum_i y_i l_i sum_j 3 <w_r, X_i[j]>^2 X_i[j],  l_i = sigmoid(-y_i f(X_i))
 * with nested arrays and no shared helpers.
 */
function naive(W: number[][], data: Dataset) {
  const { d, P, train } = data;
  const N = train.count;
  const patch = (i: number, j: number) => Array.from(train.X.subarray((i * P + j) * d, (i * P + j + 1) * d));
  const inner = (u: number[], v: number[]) => u.reduce((s, x, k) => s + x * v[k], 0);
  const grad = W.map((w) => w.map(() => 0));
  let loss = 0;
  for (let i = 0; i < N; i++) {
    let f = 0;
    for (let j = 0; j < P; j++) for (const w of W) f += inner(w, patch(i, j)) ** 3;
    const y = train.y[i];
    loss += Math.log(1 + Math.exp(-y * f)) / N;
    const l = 1 / (1 + Math.exp(y * f));
    for (let j = 0; j < P; j++) {
      const x = patch(i, j);
      W.forEach((w, r) => {
        const s = 3 * inner(w, x) ** 2;
        for (let k = 0; k < d; k++) grad[r][k] -= (y * l * s * x[k]) / N;
      });
    }
  }
  return { loss, grad };
}

const rows = (flat: ArrayLike<number>, m: number, d: number) =>
  Array.from({ length: m }, (_, r) => Array.from({ length: d }, (_, k) => flat[r * d + k]));

describe.each(['wasm', 'cpu'] as const)('engine on %s', (backend) => {
  beforeAll(() => switchBackend(backend));

  it('computes the closed-form gradient: float64 reference and finite differences agree', () => {
    const data = generateDataset(SMALL);
    const trainer = new BatchTrainer(data, runSpecs(SMALL), SMALL);
    try {
      for (const steps of [0, 7]) {
        trainer.advance(steps);
        const W = rows(trainer.readFilters(0), SMALL.m, SMALL.d);
        const engine = trainer.currentGradient().subarray(0, SMALL.m * SMALL.d);
        const { loss, grad } = naive(W, data);
        const ref = grad.flat();
        expect(relErr(engine, ref)).toBeLessThan(1e-4);
        expect(relErr(referenceGradient(Float64Array.from(W.flat()), data).grad, ref)).toBeLessThan(1e-12);

        // central differences of the float64 loss, on a spread of coordinates
        const h = 1e-5;
        for (const [r, k] of [[0, 0], [1, 3], [2, 7], [3, 5]]) {
          const shifted = (delta: number) => naive(W.map((w, rr) => w.map((x, kk) => (rr === r && kk === k ? x + delta : x))), data).loss;
          const fd = (shifted(h) - shifted(-h)) / (2 * h);
          expect(Math.abs(fd - grad[r][k])).toBeLessThan(1e-7 + 1e-5 * Math.abs(grad[r][k]));
        }
        expect(loss).toBeGreaterThan(0);
      }
    } finally {
      trainer.dispose();
    }
  });

  it('follows the float64 reference trajectory for GD, EMA momentum and heavy ball', () => {
    const cfg = withConfig({ T: 60, logEvery: 20, eta: 0.5 }, SMALL);
    const data = generateDataset(cfg);
    const runs = [
      { name: 'gd', eta: cfg.eta, gamma: 0, form: 'ema' as const },
      { name: 'gdm', eta: cfg.eta, gamma: 0.9, form: 'ema' as const },
      { name: 'hb', eta: cfg.eta * 0.1, gamma: 0.9, form: 'heavyball' as const },
    ];
    const { traces } = trainAll(cfg, data, runs);
    runs.forEach((run, k) => {
      const ref = referenceRun(data, run, cfg.T, cfg.logEvery);
      expect(traces[k].rows.map((r) => r.t)).toEqual(ref.map((r) => r.t));
      ref.forEach((want, s) => {
        const got = traces[k].rows[s];
        const at = (a: Float32Array, n: number) => a.subarray(s * n, (s + 1) * n);
        expect(got.loss).toBeCloseTo(want.loss, 4);
        expect(got.trainErr).toBeCloseTo(want.trainErr, 6);
        expect(got.testErr).toBeCloseTo(want.testErr, 6);
        expect(relErr(at(traces[k].detail.c, cfg.m), want.c)).toBeLessThan(1e-4);
        expect(relErr(at(traces[k].detail.signal, cfg.N), want.signal)).toBeLessThan(1e-3);
        expect(relErr(at(traces[k].detail.noise, cfg.N), want.noise)).toBeLessThan(1e-3);
        expect(relErr(at(traces[k].detail.gLarge, cfg.m), want.gLarge)).toBeLessThan(1e-3);
        expect(relErr(at(traces[k].detail.gSmall, cfg.m), want.gSmall)).toBeLessThan(1e-3);
      });
    });
  });

  it('splits the gradient along w* exactly: large + small = the step of GD', () => {
    const { traces } = trainAll(SMALL, generateDataset(SMALL), runSpecs(SMALL));
    const gd = traces[0];
    for (let k = 0; k < gd.detail.gStep.length; k++) {
      expect(gd.detail.gLarge[k] + gd.detail.gSmall[k]).toBeCloseTo(gd.detail.gStep[k], 5);
    }
    // and y f = signal part + noise part, read back separately
    const last = gd.rows.at(-1)!;
    expect(last.smallSignal).toBeTypeOf('number');
  });

  it('follows the reference on a loaded data set whose noise has a w* component, and refuses one whose signal patch is off w*', () => {
    // The engine takes the signal patch as sig_i w* but the noise patches as they are (step.ts).
    const cfg = withConfig({ T: 30, logEvery: 10, eta: 0.5 }, SMALL);
    const data = generateDataset(cfg);
    const { d, P } = cfg;
    const X = data.train.X.slice();
    for (let i = 0; i < cfg.N; i++) {
      for (let j = 0; j < P; j++) {
        if (j !== data.train.signalPatch[i]) for (let k = 0; k < d; k++) X[(i * P + j) * d + k] += 0.05 * data.wStar[k];
      }
    }
    const tilted = { ...data, train: { ...data.train, X } };
    const run = runSpecs(cfg)[1];
    const { traces } = trainAll(cfg, tilted, [run]);
    referenceRun(tilted, run, cfg.T, cfg.logEvery).forEach((want, s) => {
      const at = (a: Float32Array, n: number) => a.subarray(s * n, (s + 1) * n);
      expect(traces[0].rows[s].loss).toBeCloseTo(want.loss, 4);
      expect(relErr(at(traces[0].detail.gLarge, cfg.m), want.gLarge)).toBeLessThan(1e-3);
      expect(relErr(at(traces[0].detail.gSmall, cfg.m), want.gSmall)).toBeLessThan(1e-3);
      expect(relErr(at(traces[0].detail.noise, cfg.N), want.noise)).toBeLessThan(1e-3);
    });
    const off = data.test.X.slice();
    off[(4 * P + data.test.signalPatch[4]) * d] += 0.01;
    expect(() => new BatchTrainer({ ...data, test: { ...data.test, X: off } }, runSpecs(cfg), cfg)).toThrow(/example 4's signal patch is not a multiple of w\*/);
  });

  it('is deterministic: same seed, same numbers', () => {
    const data = generateDataset(SMALL);
    const a = trainAll(SMALL, data, runSpecs(SMALL)).packed;
    const b = trainAll(SMALL, generateDataset(SMALL), runSpecs(SMALL)).packed;
    expect(b).toEqual(a);
  });

  it('gives a batch of two the same numbers as two single runs', () => {
    const cfg = withConfig({ N: 200, Ntest: 300, T: 200, logEvery: 50 });
    const data = generateDataset(cfg);
    const [gd, gdm] = runSpecs(cfg);
    const pair = trainAll(cfg, data, [gd, gdm]).traces;
    const alone = [trainAll(cfg, data, [gd]).traces[0], trainAll(cfg, data, [gdm]).traces[0]];
    alone.forEach((single, k) => {
      single.rows.forEach((row, s) => {
        for (const f of [...SUMMARY_FIELDS, 'cMax', 'smallSignal', 'smallNoise', 'gStep'] as const) {
          expect(pair[k].rows[s][f], `${f} at t=${row.t}`).toBeCloseTo(row[f], 5);
        }
      });
      expect(relErr(pair[k].detail.signal, single.detail.signal)).toBeLessThan(1e-5);
    });
  });

  it('sums each run over its filters and patches (sumPerRun, an average pool): the float64 sums, and an Inf stays in its run', () => {
    const [R, rows, n] = [3, 8, 5];
    const x = Float32Array.from({ length: R * rows * n }, (_, k) => Math.sin(k * 1.7) * (1 + (k % 7)));
    const split = { count: n, terms: tf.scalar(rows) } as Parameters<typeof sumPerRun>[2];
    const sums = (values: Float32Array) =>
      tf.tidy(() => {
        const k = new KernelScope();
        try {
          return k.tensor(sumPerRun(k, tf.tensor2d(values, [R * rows, n]), split, R)).dataSync() as Float32Array;
        } finally {
          k.dispose();
        }
      });
    const got = sums(x);
    for (let r = 0; r < R; r++)
      for (let i = 0; i < n; i++) {
        let want = 0;
        for (let k = 0; k < rows; k++) want += x[(r * rows + k) * n + i];
        expect(Math.abs(got[r * n + i] - want)).toBeLessThan(1e-5 * (1 + Math.abs(want)));
      }
    const diverged = x.slice();
    diverged[(1 * rows + 2) * n + 3] = Number.POSITIVE_INFINITY;
    const after = sums(diverged);
    expect(after[1 * n + 3]).toBe(Number.POSITIVE_INFINITY);
    after.forEach((v, k) => {
      if (k !== 1 * n + 3) expect(v).toBe(got[k]);
    });
    split.terms.dispose();
  });

  it("leaks no tensors: the count is the same after 1 and after 200 steps, and zero after dispose (the engine's and the backend's)", () => {
    // The backend's count sees the step's own kernels too (KernelScope, outside the engine's books).
    const count = () => [tf.memory().numTensors, tf.memory().numDataBuffers, tf.engine().backend.numDataIds()];
    const before = count();
    const cfg = withConfig({ N: 200, Ntest: 300, T: 300, logEvery: 10 });
    const trainer = new BatchTrainer(generateDataset(cfg), runSpecs(cfg), cfg);
    trainer.advance(1);
    trainer.collectSync();
    const afterOne = count();
    trainer.advance(199);
    trainer.collectSync();
    expect(count()).toEqual(afterOne);
    trainer.currentGradient();
    expect(count()).toEqual(afterOne);
    trainer.dispose();
    expect(count()).toEqual(before);
  });
});

describe('cpu and wasm backends', () => {
  it('agree on the default setting within float32 tolerance', async () => {
    const cfg: Config = withConfig({ T: 200, logEvery: 50 });
    const data = generateDataset(cfg);
    const on = async (name: 'wasm' | 'cpu') => {
      await switchBackend(name);
      return trainAll(cfg, data, runSpecs(cfg)).traces;
    };
    const wasm = await on('wasm');
    const cpu = await on('cpu');
    wasm.forEach((run, k) =>
      run.rows.forEach((row, s) => {
        expect(cpu[k].rows[s].loss).toBeCloseTo(row.loss, 5);
        expect(cpu[k].rows[s].cMax).toBeCloseTo(row.cMax, 4);
        expect(cpu[k].rows[s].testErr).toBeCloseTo(row.testErr, 6);
      }),
    );
    expect(DEFAULT_CONFIG.T).toBe(1500);
  });
});
