import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { KernelScope, timeKernels } from '../src/engine/kernels';
import { BatchTrainer } from '../src/engine/trainer';
import { generateDataset } from '../src/sim/data';
import { runSpecs } from '../src/sim/runs';
import { withConfig } from './support/configs';
import { switchBackend } from './support/tf';

const values = (n: number, k: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * k + 0.3) * (1 + (i % 3)));
/** What the backend holds: every data buffer, the engine's and a scope's alike. */
const buffers = () => tf.engine().backend.numDataIds();

describe.each(['wasm', 'cpu'] as const)('KernelScope on %s', (backend) => {
  afterEach(() => timeKernels(null));

  it("gives the op layer's numbers bit for bit: products, sums, pools, element-wise kernels", async () => {
    await switchBackend(backend);
    const a = tf.tensor2d(values(40 * 30, 0.7), [40, 30]);
    const b = tf.tensor2d(values(30 * 500, 1.3), [30, 500]);
    const row = tf.tensor2d(values(500, 2.1), [1, 500]);
    const before = buffers();
    const k = new KernelScope();
    const H = k.matMul(a, b);
    const pairs: [tf.TensorInfo, tf.Tensor][] = [
      [H, tf.matMul(a, b)],
      [k.square(H), tf.tidy(() => tf.square(tf.matMul(a, b)))],
      [k.mul(H, row), tf.tidy(() => tf.mul(tf.matMul(a, b), row))],
      [k.add(H, row), tf.tidy(() => tf.add(tf.matMul(a, b), row))],
      [k.sub(H, row), tf.tidy(() => tf.sub(tf.matMul(a, b), row))],
      [k.sigmoid(k.neg(H)), tf.tidy(() => tf.sigmoid(tf.neg(tf.matMul(a, b))))],
      [k.sumKeep(k.reshape(H, [2, -1]), 1), tf.tidy(() => tf.sum(tf.reshape(tf.matMul(a, b), [2, -1]), 1, true))],
      [k.avgPool(k.reshape(H, [2, 20, 1, 500]), [20, 1], [20, 1]), tf.tidy(() => tf.avgPool(tf.reshape(tf.matMul(a, b), [2, 20, 1, 500]) as tf.Tensor4D, [20, 1], [20, 1], 'valid'))],
    ];
    for (const [raw, op] of pairs) {
      const got = k.tensor(raw);
      expect(got.shape).toEqual(op.shape);
      expect(Array.from(got.dataSync())).toEqual(Array.from(op.dataSync()));
    }
    k.dispose();
    for (const [raw, op] of pairs) {
      k.tensor(raw).dispose();
      op.dispose();
    }
    expect(buffers()).toBe(before);
    for (const t of [a, b, row]) t.dispose();
  });

  it('frees every output on dispose; a tensor handed over outlives the scope, a reshape of it too, and frees with the engine', async () => {
    await switchBackend(backend);
    const x = tf.tensor2d(values(12, 0.9), [3, 4]);
    const before = buffers();
    const engineBefore = tf.memory();
    const k = new KernelScope();
    const sq = k.square(x);
    const view = k.reshape(k.mul(sq, x), [4, 3]);
    k.add(sq, x); // not handed over: freed by dispose
    expect(k.size).toBe(4);
    const kept = k.tensor(view);
    expect(k.tensor(view)).toBe(kept); // one Tensor per output
    expect(k.tensor(x)).toBe(x); // an engine tensor is returned as it is
    expect(() => k.tensor({ dataId: {}, shape: [1], dtype: 'float32' })).toThrow(/not an output of this scope/);
    k.dispose();
    k.dispose(); // twice is harmless
    expect(k.size).toBe(0);
    // the view's data is the product's, whose own reference the scope has dropped: still there
    expect(kept.shape).toEqual([4, 3]);
    const want = Array.from(x.dataSync(), (v) => Math.fround(Math.fround(v * v) * v));
    expect(Array.from(kept.dataSync())).toEqual(want);
    kept.dispose();
    expect(buffers()).toBe(before);
    expect(tf.memory().numTensors).toBe(engineBefore.numTensors);
    expect(tf.memory().numDataBuffers).toBe(engineBefore.numDataBuffers);
    x.dispose();
  });

  it('times each kernel for the profile bench, and an unknown kernel is a clear error', async () => {
    await switchBackend(backend);
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const seen: string[] = [];
    timeKernels((name, shapes, ms) => {
      seen.push(`${name} ${JSON.stringify(shapes)}`);
      expect(ms).toBeGreaterThanOrEqual(0);
    });
    const k = new KernelScope();
    k.mul(k.square(x), x);
    timeKernels(null);
    k.square(x);
    expect(seen).toEqual(['Square [[2,2]]', 'Multiply [[2,2],[2,2]]']);
    expect(() => k.run('NoSuchKernel', { x })).toThrow(`the ${backend} backend has no NoSuchKernel kernel`);
    k.dispose();
    x.dispose();
  });

  it("a step that fails part-way leaves no data behind and the trainer's state as it was", async () => {
    await switchBackend(backend);
    const cfg = withConfig({ N: 60, Ntest: 80, T: 40, logEvery: 5 });
    const trainer = new BatchTrainer(generateDataset(cfg), runSpecs(cfg), cfg);
    try {
      trainer.advance(3);
      trainer.collectSync();
      const held = buffers();
      const filters = trainer.readFilters(0);
      for (const failAt of [3, 38]) {
        // the 3rd kernel of the unlogged step 3; the 38th of the logged step 5, inside its metrics' tidy
        // (the test forward: forward 15, gradient 15 and update 5 kernels come first)
        trainer.advance(failAt === 38 ? 2 : 0);
        trainer.collectSync();
        const t = trainer.t;
        const heldNow = buffers();
        const W = trainer.readFilters(0);
        let calls = 0;
        timeKernels(() => {
          if (++calls === failAt) throw new Error('lost backend');
        });
        expect(() => trainer.advance(1)).toThrow('lost backend');
        timeKernels(null);
        expect(trainer.t).toBe(t);
        expect(buffers()).toBe(heldNow);
        expect(Array.from(trainer.readFilters(0))).toEqual(Array.from(W));
      }
      expect(held).toBeGreaterThan(0);
      expect(filters.length).toBe(cfg.m * cfg.d);
      // and it trains on from there
      trainer.advance(cfg.T);
      expect(trainer.done).toBe(true);
    } finally {
      trainer.dispose();
    }
  });
});
