/**
 * The gradient computed times GRAD_SCALE (step.ts): bit for bit 2^32 times the unscaled gradient
 * where nothing underflows, and free of the subnormal coefficients that the unscaled one has once
 * GD has fitted its examples (the cost that made the default experiment 3.6 s instead of 0.9 on x86).
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelScope } from '../src/engine/kernels';
import { GRAD_SCALE, type SplitInputs, forward, gradient, splitInputs, splitTensors } from '../src/engine/step';
import { BatchTrainer } from '../src/engine/trainer';
import { type Dataset, generateDataset } from '../src/sim/data';
import { DEFAULT_CONFIG } from '../src/sim/params';
import { runSpecs } from '../src/sim/runs';
import { switchBackend } from './support/tf';

const MIN_NORMAL = 2 ** -126;
const subnormals = (x: ArrayLike<number>) => Array.from(x).filter((v) => v !== 0 && Math.abs(v) < MIN_NORMAL).length;

/** The default pair's filters after t unlogged steps, stacked [2 m, d]. */
function filtersAt(data: Dataset, t: number): Float32Array {
  const cfg = { ...DEFAULT_CONFIG, T: t, logEvery: 1000, logDense: 0 };
  const trainer = new BatchTrainer(data, runSpecs(cfg), cfg);
  try {
    trainer.advance(t);
    const [a, b] = [trainer.readFilters(0), trainer.readFilters(1)];
    const W = new Float32Array(a.length + b.length);
    W.set(a);
    W.set(b, a.length);
    return W;
  } finally {
    trainer.dispose();
  }
}

describe.each(['wasm', 'cpu'] as const)('the scaled gradient on %s', (backend) => {
  const { m, d, P, N } = DEFAULT_CONFIG;
  const stack = { R: 2, m, P };
  let data: Dataset;
  let scaled: SplitInputs;
  let unscaled: SplitInputs;

  beforeAll(async () => {
    await switchBackend(backend);
    data = generateDataset(DEFAULT_CONFIG);
    scaled = splitInputs(data.train, P, d, data.wStar, m);
    // The same inputs with the gradient's factor -3 y / N as it was before the scale.
    unscaled = { ...scaled, yGrad: tf.tensor2d(Float32Array.from(data.train.y, (v) => (-3 / N) * v), [1, N]) };
  });
  afterAll(() => {
    unscaled.yGrad.dispose();
    for (const t of splitTensors(scaled)) t.dispose();
  });

  /** Both gradients at W, read back. */
  function both(Wvalues: Float32Array) {
    const W = tf.tensor2d(Wvalues, [2 * m, d]);
    const k = new KernelScope();
    try {
      const fwd = forward(k, W, scaled, stack);
      const read = (x: tf.TensorInfo) => Float32Array.from(tf.backend().readSync(x.dataId) as Float32Array);
      const s = gradient(k, fwd, scaled, stack);
      const u = gradient(k, fwd, unscaled, stack);
      return {
        scaled: { grad: read(s.grad), noiseCoef: read(s.noiseCoef), weight: read(s.weight) },
        unscaled: { grad: read(u.grad), noiseCoef: read(u.noiseCoef), weight: read(u.weight) },
      };
    } finally {
      k.dispose();
      W.dispose();
    }
  }

  it('is 2^32 times the unscaled gradient bit for bit at the start, where nothing underflows', () => {
    const W0 = new Float32Array(2 * m * d);
    W0.set(data.W0);
    W0.set(data.W0, m * d);
    const g = both(W0);
    expect(subnormals(g.unscaled.noiseCoef)).toBe(0);
    for (const key of ['grad', 'noiseCoef', 'weight'] as const) {
      expect(Array.from(g.scaled[key])).toEqual(Array.from(g.unscaled[key], (v) => v * GRAD_SCALE));
    }
  });

  // wasm only: the cpu backend takes 21 s for the 800 steps; the first test covers its scaling.
  it.runIf(backend === 'wasm')('has no subnormal coefficients where the unscaled one has thousands (t = 800), and the same gradient', () => {
    const g = both(filtersAt(data, 800));
    // Measured: 15,017 of 80,000 unscaled, 0-20 scaled.
    expect(subnormals(g.unscaled.noiseCoef)).toBeGreaterThan(5000);
    expect(subnormals(g.scaled.noiseCoef)).toBeLessThan(100);
    const largest = Math.max(...Array.from(g.unscaled.grad, Math.abs));
    expect(largest).toBeGreaterThan(0);
    g.scaled.grad.forEach((v, i) => expect(Math.abs(v / GRAD_SCALE - g.unscaled.grad[i])).toBeLessThanOrEqual(1e-6 * largest));
  });
});
