/**
 * `tsx bench/pair.ts [reps]`: the default pair on wasm in Node, for A/B runs of the engine: steady-state
 * pair steps/s with no logging, the cost of one logged step, and the full default experiment
 * (data + T = 1500 + readback), each repeated; prints min and median as JSON, and one full run's
 * parts. Run it in the old and the new tree back to back: the machine is shared.
 */
import * as os from 'node:os';
import { startNodeBackend } from '../src/cli/node-backends';
import { decodeRuns, joinCollected, runPairSync } from '../src/engine/experiment';
import { BatchTrainer, type Collected } from '../src/engine/trainer';
import { generateDataset } from '../src/sim/data';
import { DEFAULT_CONFIG } from '../src/sim/params';
import { runSpecs } from '../src/sim/runs';

const reps = Number(process.argv[2] ?? 5);
const backend = (process.env.BACKEND ?? 'wasm') as 'wasm' | 'cpu';
const cfg = DEFAULT_CONFIG;
await startNodeBackend(backend);
const data = generateDataset(cfg);

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: +s[0].toFixed(4), median: +s[Math.floor(s.length / 2)].toFixed(4) };
};

function unlogged(steps: number): number {
  const T = steps + 21;
  const trainer = new BatchTrainer(data, runSpecs(cfg), { T, logEvery: T });
  trainer.advance(20);
  // The best stretch of 50 steps: the machine is shared, the minimum is the engine's own cost.
  let best = Infinity;
  for (let done = 0; done < steps; done += 50) {
    const t0 = performance.now();
    trainer.advance(50);
    best = Math.min(best, (performance.now() - t0) / 50);
  }
  trainer.dispose();
  return 1000 / best;
}

/** ms per step when every step is logged (read back at the end, as the experiment does per chunk). */
function logged(steps: number): number {
  const trainer = new BatchTrainer(data, runSpecs(cfg), { T: steps + 20, logEvery: 1 });
  trainer.advance(20);
  trainer.collectSync();
  let best = Infinity;
  for (let done = 0; done < steps; done += 5) {
    const t0 = performance.now();
    trainer.advance(5);
    trainer.collectSync();
    best = Math.min(best, (performance.now() - t0) / 5);
  }
  trainer.dispose();
  return best;
}

function full(): number {
  const t0 = performance.now();
  runPairSync(cfg, generateDataset(cfg));
  return (performance.now() - t0) / 1000;
}

/** The full experiment's parts (ms): data, trainer set-up, training, readback, decoding. */
function parts(): Record<string, number> {
  const t0 = performance.now();
  const d = generateDataset(cfg);
  const t1 = performance.now();
  const trainer = new BatchTrainer(d, runSpecs(cfg), cfg);
  const t2 = performance.now();
  const chunks: Collected[] = [];
  let train = 0;
  let readback = 0;
  while (!trainer.done) {
    const a = performance.now();
    trainer.advance(500);
    const b = performance.now();
    chunks.push(trainer.collectSync());
    readback += performance.now() - b;
    train += b - a;
  }
  const t3 = performance.now();
  decodeRuns(joinCollected(chunks), trainer, d);
  const t4 = performance.now();
  trainer.dispose();
  return { data: +(t1 - t0).toFixed(1), setup: +(t2 - t1).toFixed(1), train: +train.toFixed(1), readback: +readback.toFixed(1), decode: +(t4 - t3).toFixed(1) };
}

const rate: number[] = [];
const loggedMs: number[] = [];
const fullS: number[] = [];
full(); // warm-up
for (let r = 0; r < reps; r++) {
  rate.push(unlogged(500));
  loggedMs.push(logged(100));
  fullS.push(full());
}
const partsMs = parts();
const r = runPairSync(cfg, generateDataset(cfg));
console.log(JSON.stringify({
  backend, load: os.loadavg().map((x) => +x.toFixed(2)),
  pairStepsPerSecond: stats(rate), loggedStepMs: stats(loggedMs), fullExperimentSeconds: stats(fullS), lastRunPartsMs: partsMs,
  final: { gd: r.gd.rows.at(-1)!.testErr, gdm: r.gdm.rows.at(-1)!.testErr },
}));
