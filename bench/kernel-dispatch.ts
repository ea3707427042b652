/**
 * `tsx bench/kernel-dispatch.ts [reps]`: what tfjs's op layer adds to a kernel, on Node wasm: one
 * Multiply of [2, 500] by [1, 500] (a pair step's size) as an op inside tf.tidy, through
 * engine.runKernel, and through a KernelScope (src/engine/kernels.ts, what the step uses); the best
 * microseconds a kernel of each over `reps` rounds. The machine is shared: run it twice.
 */
import * as tf from '@tensorflow/tfjs-core';
import { startNodeBackend } from '../src/cli/node-backends';
import { KernelScope } from '../src/engine/kernels';
import { round } from './common';

await startNodeBackend('wasm');
const a = tf.tensor2d(Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i)), [2, 500]);
const b = tf.tensor2d(Float32Array.from({ length: 500 }, (_, i) => Math.cos(i)), [1, 500]);
const K = 5000;
const PER = 5;
const perKernelUs = (f: () => void) => {
  const t0 = performance.now();
  for (let i = 0; i < K; i++) f();
  return ((performance.now() - t0) * 1000) / (K * PER);
};
const ways = {
  op: () => tf.tidy(() => { for (let j = 0; j < PER; j++) tf.mul(a, b); }),
  runKernel: () => tf.tidy(() => { for (let j = 0; j < PER; j++) tf.engine().runKernel('Multiply', { a, b }, {}); }),
  kernelScope: () => {
    const k = new KernelScope();
    for (let j = 0; j < PER; j++) k.mul(a, b);
    k.dispose();
  },
};
const best: Record<string, number> = { op: Infinity, runKernel: Infinity, kernelScope: Infinity };
for (let r = 0; r < Number(process.argv[2] ?? 10); r++) for (const [name, f] of Object.entries(ways)) best[name] = Math.min(best[name], perKernelUs(f));
process.stdout.write(`${JSON.stringify({ what: 'best us per Multiply [2,500] x [1,500], Node wasm', ...Object.fromEntries(Object.entries(best).map(([k, v]) => [k, round(v)])) })}\n`);
