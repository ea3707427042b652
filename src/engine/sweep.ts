import * as tf from '@tensorflow/tfjs-core';
import { type Split, generateDataset } from '../sim/data';
import type { Config } from '../sim/params';
import { SWEEP_FIELDS, type SweepGrid, type SweepTrace, appendSweepRows, cellConfig, loggedSweepSteps, sweepRunCount } from '../sim/sweep';
import { LoggedRows, groupColumns } from './logged-rows';
import { KernelScope } from './kernels';
import { type EvalInputs, type SplitInputs, type Stack, bRow, evalInputs, forward, gradient, momentumUpdate, outputs, perFilterRow, splitInputs, splitTensors } from './step';
import { updateCoefficients } from '../sim/runs';
import { seedList } from '../sim/seeds';

/** What the data sets of one seed share: which examples are small, w*, W0. */
interface SeedTensors {
  /** [N, 3] and [Ntest, 3]: 1 for every example, for small-margin ones, for large-margin ones. */
  groups: { train: tf.Tensor2D; test: tf.Tensor2D };
  /** [1, 3]: 1 / group size (the same for every beta: which examples are small depends on the seed only). */
  groupScale: { train: tf.Tensor2D; test: tf.Tensor2D };
}

/** One data set (one seed, one beta) of the grid, shared by every run that trains on it. */
interface DataTensors {
  train: SplitInputs;
  test: EvalInputs;
  seed: SeedTensors;
}

/** Some runs of one data set, trained as one [R m, d] matrix of filters. */
interface Block {
  data: DataTensors;
  stack: Stack;
  /** Update coefficients per filter row [R m, 1]: buf <- a buf + b grad; W <- W - eta buf. */
  a: tf.Tensor2D;
  b: tf.Tensor2D;
  eta: tf.Tensor2D;
  W: tf.Tensor2D;
  buf: tf.Tensor2D;
}

/**
 * Filter rows per block: as many runs of a data set as fit a budget for the largest intermediate,
 * the test forward at logged steps ([R m, P Ntest]). Few, large blocks win here: in Node wasm at the
 * default size, T = 150 (bench/sweep.ts, quiet machine), a whole data set per block (7 runs) took
 * 2.7 s, 2 runs 3.1 s, 1 run 3.2 s. One rank-3 batched program over the whole grid was ~4x slower
 * than 2D blocks (40 s against 11 s at T = 300): wasm's batched matmul took 38 ms for the gradient
 * product that five 2D products do in 3.3 ms. The budget keeps the largest sizes in memory: a GPU
 * texture may hold more than a wasm heap should.
 */
export function blockRows(backend: string, m: number, P: number, N: number, Ntest = N): number {
  const budget = backend === 'webgl' ? 16e6 : 4e6;
  return Math.max(m, Math.floor(budget / (P * Math.max(N, Ntest))));
}

/**
 * The whole (gamma, beta) grid as ONE tfjs program: one step advances every cell, one readback
 * carries every cell's numbers. Data sets differ only in beta (same seed), and every run of a data
 * set - GD, and GD+M at each gamma, from the same W0 - shares its tensors. The runs of a data set are
 * cut into blocks of stacked filters (see blockRows) and each block steps with the closed-form
 * gradient of step.ts (as BatchTrainer):  H = W X^T,  grad = coef X.  Only the map's numbers are logged
 * (SWEEP_FIELDS per run), every T/30 steps, so nearly all the work is training.
 * With base.seeds = S the grid is trained on each of seeds base.seed .. base.seed + S - 1 (its own
 * data sets and W0), seed-major (sim/sweep.ts); sweepCells averages them.
 */
export class SweepTrainer {
  readonly grid: SweepGrid;
  readonly T: number;
  readonly logSteps: readonly number[];
  /** Runs trained: every run of the grid on each seed. */
  readonly runCount: number;
  t = 0;

  private readonly m: number;
  private readonly seeds: SeedTensors[];
  private readonly data: DataTensors[];
  private readonly blocks: Block[];
  private nextLog = 0;
  private readonly logged = new LoggedRows();

  constructor(base: Config, grid: SweepGrid, opts: { blockRows?: number } = {}) {
    this.grid = grid;
    this.T = base.T;
    this.logSteps = loggedSweepSteps(base.T);
    this.m = base.m;
    this.runCount = sweepRunCount(grid, base.seeds);
    const { d, P, m } = base;
    const grouping = (split: Split) => {
      const { groups, scale } = groupColumns(split.small);
      return { groups: tf.tensor2d(groups, [split.count, 3]), scale: tf.tensor2d(scale, [1, 3]) };
    };
    const coefficients = [0, ...grid.gammas].map((gamma) => updateCoefficients({ eta: base.eta, gamma, form: base.momentumForm }));
    const perBlock = Math.max(1, Math.floor((opts.blockRows ?? Number.POSITIVE_INFINITY) / m));
    this.seeds = [];
    this.data = [];
    this.blocks = [];
    for (const seed of seedList(base)) {
      const datasets = grid.betas.map((beta) => generateDataset(cellConfig({ ...base, seed }, base.gamma, beta)));
      const train = grouping(datasets[0].train);
      const test = grouping(datasets[0].test);
      const seedTensors: SeedTensors = {
        groups: { train: train.groups, test: test.groups },
        groupScale: { train: train.scale, test: test.scale },
      };
      this.seeds.push(seedTensors);
      const W0 = tf.tensor2d(datasets[0].W0, [m, d]);
      for (const ds of datasets) {
        const data: DataTensors = { train: splitInputs(ds.train, P, d, ds.wStar, m), test: evalInputs(ds.test, P, d, ds.wStar, m), seed: seedTensors };
        this.data.push(data);
        for (let k = 0; k < coefficients.length; k += perBlock) {
          const runs = coefficients.slice(k, k + perBlock);
          this.blocks.push({
            data,
            stack: { R: runs.length, m, P },
            a: perFilterRow(runs.map((c) => c.a), m),
            b: bRow(runs.map((c) => c.b), m),
            eta: perFilterRow(runs.map(() => base.eta), m),
            W: tf.tidy(() => tf.tile(W0, [runs.length, 1]) as tf.Tensor2D),
            buf: tf.zeros([runs.length * m, d]),
          });
        }
      }
      W0.dispose();
    }
  }

  get done(): boolean {
    return this.t >= this.T && this.nextLog >= this.logSteps.length;
  }

  /** Up to `steps` steps (stopping at T), logging the map's numbers at logged steps; nothing read back. */
  advance(steps: number): void {
    const stop = Math.min(this.T, this.t + steps);
    while (this.t < stop) {
      if (this.logSteps[this.nextLog] === this.t) this.log();
      this.step();
    }
    if (this.t === this.T && this.logSteps[this.nextLog] === this.t) this.log();
  }

  private step(): void {
    const k = new KernelScope();
    const next: tf.Tensor2D[] = [];
    try {
      for (const block of this.blocks) {
        const { grad } = gradient(k, forward(k, block.W, block.data.train, block.stack), block.data.train, block.stack);
        const { W, buf } = momentumUpdate(k, block.W, block.buf, grad, block);
        next.push(k.tensor(W) as tf.Tensor2D, k.tensor(buf) as tf.Tensor2D);
      }
    } catch (e) {
      for (const t of next) t.dispose();
      throw e;
    } finally {
      k.dispose();
    }
    this.blocks.forEach((block, k) => {
      block.W.dispose();
      block.buf.dispose();
      block.W = next[2 * k];
      block.buf = next[2 * k + 1];
    });
    this.t++;
  }

  /** Queue the map's numbers for W_t: per run [trainErr, testErr, testErrSmall, testErrLarge, cMax]. */
  private log(): void {
    const row = tf.tidy(() => {
      // Disposed before the tidy disposes the outputs it hands over (kernels.ts).
      const k = new KernelScope();
      try {
        const errors = (block: Block, split: 'train' | 'test') => {
          // "not y f > 0": a diverged run's NaN outputs count as errors
          const yf = k.tensor(split === 'train' ? forward(k, block.W, block.data.train, block.stack).yf : outputs(k, block.W, block.data.test, block.stack));
          const wrong = tf.cast(tf.logicalNot(tf.greater(yf, 0)), 'float32');
          return tf.mul(tf.matMul(wrong, block.data.seed.groups[split]), block.data.seed.groupScale[split]); // [R, 3]
        };
        const rows = this.blocks.map((block) => {
          const c = tf.max(tf.reshape(tf.matMul(block.W, block.data.train.wStar), [block.stack.R, this.m]), 1, true);
          return tf.concat([tf.slice(errors(block, 'train'), [0, 0], [-1, 1]), errors(block, 'test'), c], 1); // [R, 5]
        });
        return tf.concat(rows, 0);
      } finally {
        k.dispose();
      }
    });
    if (row.shape[1] !== SWEEP_FIELDS.length) throw new Error('sweep row does not match SWEEP_FIELDS');
    this.logged.push(this.t, row);
    this.nextLog++;
  }

  /** Everything logged since the last call, in one readback: ts and [logged step][run][field]. */
  async collect(): Promise<{ ts: number[]; rows: Float32Array }> {
    const { ts, values } = await this.logged.collect();
    return { ts, rows: values };
  }

  collectSync(): { ts: number[]; rows: Float32Array } {
    const { ts, values } = this.logged.collectSync();
    return { ts, rows: values };
  }

  dispose(): void {
    const owned: tf.Tensor[] = [
      ...this.data.flatMap((ds) => [...splitTensors(ds.train), ...splitTensors(ds.test)]),
      ...this.blocks.flatMap((b) => [b.a, b.b, b.eta, b.W, b.buf]),
      ...this.seeds.flatMap((s) => [s.groups.train, s.groups.test, s.groupScale.train, s.groupScale.test]),
    ];
    this.logged.dispose();
    for (const t of owned) t.dispose();
  }
}

/** The whole grid to the end, synchronously (Node: cpu and wasm backends), as one SweepTrace. */
export function runSweepSync(base: Config, grid: SweepGrid, opts: { blockRows?: number; chunk?: number } = {}): SweepTrace {
  const trainer = new SweepTrainer(base, grid, opts);
  try {
    let trace: SweepTrace = { grid, base, ts: [], rows: new Float32Array(0) };
    while (!trainer.done) {
      trainer.advance(opts.chunk ?? 100);
      const { ts, rows } = trainer.collectSync();
      trace = appendSweepRows(trace, ts, rows);
    }
    return trace;
  } finally {
    trainer.dispose();
  }
}
