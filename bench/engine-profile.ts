/**
 * `tsx bench/engine-profile.ts [logEvery] [reps]`: the kernels of one pair step on Node wasm at the
 * default size, from tf.profile and the KernelScope's timer: per kernel (name and input shapes, in order of first use) the
 * best time over `reps` steps, the kernel count per step and the sum of those minima. logEvery = 1
 * profiles a logged step (metrics and the test forward included); a large one an unlogged step.
 * Minima, because the machine is shared: they are the kernels' own cost, not the load's.
 */
import * as tf from '@tensorflow/tfjs-core';
import { startNodeBackend } from '../src/cli/node-backends';
import { timeKernels } from '../src/engine/kernels';
import { BatchTrainer } from '../src/engine/trainer';
import { generateDataset } from '../src/sim/data';
import { DEFAULT_CONFIG } from '../src/sim/params';
import { runSpecs } from '../src/sim/runs';
await startNodeBackend('wasm');
const cfg = DEFAULT_CONFIG;
const data = generateDataset(cfg);
const logEvery = Number(process.argv[2] ?? 1);
const trainer = new BatchTrainer(data, runSpecs(cfg), { T: 400, logEvery });
trainer.advance(50); trainer.collectSync();
const agg = new Map<string, { n: number; ms: number }>();
let kernels = 0;
const reps = Number(process.argv[3] ?? 40);
for (let r = 0; r < reps; r++) {
  // The step's own kernels run through a KernelScope (src/engine/kernels.ts), which tf.profile does
  // not see: timed by its hook; tf.profile times the op-layer kernels (a logged step's metrics).
  const raw: { name: string; inputShapes: number[][]; kernelTimeMs: number }[] = [];
  timeKernels((name, inputShapes, ms) => raw.push({ name, inputShapes, kernelTimeMs: ms }));
  const p = await tf.profile(() => { trainer.advance(1); });
  timeKernels(null);
  const seen = new Map<string, number>();
  for (const k of [...raw, ...p.kernels]) {
    kernels++;
    const base = `${k.name} ${JSON.stringify(k.inputShapes)}`;
    const c = (seen.get(base) ?? 0) + 1; seen.set(base, c);
    const key = `${base} #${c}`;
    const a = agg.get(key) ?? { n: 0, ms: Infinity };
    a.n++; a.ms = Math.min(a.ms, k.kernelTimeMs as number);
    agg.set(key, a);
  }
}
let total = 0;
const rows = [...agg].map(([k, a]) => { total += a.ms; return [k, a.n / reps, a.ms * 1000] as const; }).sort((a, b) => b[2] - a[2]);
for (const [k, n, us] of rows) console.log(us.toFixed(1).padStart(8), 'us', String(n).padStart(3), k);
console.log('kernels per step', kernels / reps, 'kernel total us', (total * 1000).toFixed(0), '(sum of per-kernel minima)');
trainer.dispose();
