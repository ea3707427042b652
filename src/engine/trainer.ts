import * as tf from '@tensorflow/tfjs-core';
import { type Dataset, type Split, dotAt, signalCoefficients } from '../sim/data';
import { SUMMARY_FIELDS, loggedSteps, rowLayout } from '../sim/trace';
import { KernelScope } from './kernels';
import { LoggedRows, groupColumns } from './logged-rows';
import { type EvalInputs, type Forward, type Gradient, type SplitInputs, type Stack, type UpdateRows, GRAD_SCALE, bRow, evalInputs, forward, gradient, momentumUpdate, outputs, perFilterRow, splitInputs, splitTensors } from './step';
import { type OptimizerSpec, type RunName, coefficientsAt, isMinibatch } from '../sim/runs';
import { BatchOrder, stepsPerEpoch } from '../sim/batches';

/** Everything logged since the last collect: rows laid out [logged step][run][rowLayout]. */
export interface Collected {
  ts: number[];
  packed: Float32Array;
}

interface Groups {
  /** Columns: 1 for every example, for small-margin ones, for large-margin ones ([count, 3]). */
  groups: tf.Tensor2D;
  /** 1 / group size ([1, 3]); NaN for an empty group. */
  groupScale: tf.Tensor2D;
}

/**
 * Trains a batch of runs in lockstep on one data set, from one W0, with the closed-form gradient of
 * step.ts: the filters of all runs are stacked as the rows of one [R m, d] matrix.
 * A step's kernels run in a KernelScope (kernels.ts), a logged step's metrics in tf.tidy; the trainer
 * owns W, the buffers and the logged rows until collect().
 *
 * Each run steps with its own coefficients of step t (sim/runs.ts coefficientsAt): the [R m, 1]
 * columns are rebuilt only at a step where some run's change (a schedule switches once or twice).
 * Minibatch runs weigh the examples of their batch (sim/batches.ts, seeded by opts.seed) through an
 * [R, N] mask built each step; a lineup without one builds no mask, so full-batch runs compute
 * exactly what they did before minibatches existed.
 * The gLarge/gSmall rows are the gradient the step used (a minibatch run's: its batch's).
 */
export class BatchTrainer<Name extends string = RunName> {
  readonly runs: readonly (OptimizerSpec & { name: Name })[];
  readonly T: number;
  readonly logSteps: readonly number[];
  /** Steps taken so far: W currently holds W_t. */
  t = 0;

  private readonly stack: Stack;
  private readonly train: SplitInputs & Groups;
  /** Only evaluated, at logged steps (step.ts EvalInputs). */
  private readonly test: EvalInputs & Groups;
  /**
   * -<X_i[j], w*> restricted to large-, then small-margin examples (negated here, exactly, not per
   * logged step): [(P - 1) N, 2] over the noise patches (SplitInputs' order; ~0, as the noise is
   * orthogonal to w*, but a loaded data set's may not be) and [N, 2] over the signal patches, there
   * times sig_i^2 (the signal patch's coefficients are weight_i c_r^2 sig_i^2, step.ts).
   */
  private readonly alongNoise: tf.Tensor2D;
  private readonly alongSignal: tf.Tensor2D;
  /** -w* as a column (gStep is minus the step along w*). */
  private readonly negWStarCol: tf.Tensor2D;
  private update: UpdateRows;
  /** The coefficients in `update`, per run: compared with each step's to rebuild only on a change. */
  private coefficients: { a: number; b: number }[];
  /** The batch orders, when some run is a minibatch run. */
  private readonly order: BatchOrder | null;
  private readonly N: number;
  /** Filters of all runs, [R m, d]. */
  private W: tf.Tensor2D;
  private buf: tf.Tensor2D;
  private nextLog = 0;
  private readonly logged = new LoggedRows();

  constructor(data: Dataset, runs: readonly (OptimizerSpec & { name: Name })[], opts: { T: number; logEvery: number; logDense?: number; seed?: number }) {
    const { d, P, m } = data;
    const R = runs.length;
    this.runs = runs;
    this.T = opts.T;
    this.logSteps = loggedSteps(opts.T, opts.logEvery, opts.logDense ?? 0);
    this.stack = { R, m, P };
    const N = data.train.count;
    this.N = N;
    if (runs.some(isMinibatch) && opts.seed === undefined) throw new Error('minibatch runs need the seed of their batch order (opts.seed)');
    this.order = runs.some(isMinibatch) ? new BatchOrder(opts.seed!, N) : null;

    const { sig } = signalCoefficients(data.train, P, d, data.wStar);
    const alongNoise = new Float32Array((P - 1) * N * 2);
    const alongSignal = new Float32Array(N * 2);
    for (let i = 0; i < N; i++) {
      for (let j = 0, slot = 0; j < P; j++) {
        const dot = dotAt(data.train.X, (i * P + j) * d, data.wStar, d);
        if (j === data.train.signalPatch[i]) alongSignal[i * 2 + data.train.small[i]] = -dot * sig[i] ** 2;
        else alongNoise[(slot++ * N + i) * 2 + data.train.small[i]] = -dot;
      }
    }

    this.train = { ...splitInputs(data.train, P, d, data.wStar, m), ...this.groupTensors(data.train) };
    this.test = { ...evalInputs(data.test, P, d, data.wStar, m), ...this.groupTensors(data.test) };
    this.alongNoise = tf.tensor2d(alongNoise, [(P - 1) * N, 2]);
    this.alongSignal = tf.tensor2d(alongSignal, [N, 2]);
    this.negWStarCol = tf.tensor2d(Float32Array.from(data.wStar, (v) => -v), [d, 1]);
    this.coefficients = runs.map((run) => coefficientsAt(run, 0));
    this.update = {
      a: perFilterRow(this.coefficients.map((c) => c.a), m),
      b: bRow(this.coefficients.map((c) => c.b), m),
      eta: perFilterRow(runs.map((run) => run.eta), m),
    };
    this.W = tf.tidy(() => {
      const W0 = tf.tensor2d(data.W0, [m, d]);
      return tf.concat(runs.map(() => W0), 0) as tf.Tensor2D;
    });
    this.buf = tf.zeros([R * m, d]);
  }

  private groupTensors(split: Split): Groups {
    const { groups, scale } = groupColumns(split.small);
    return { groups: tf.tensor2d(groups, [split.count, 3]), groupScale: tf.tensor2d(scale, [1, 3]) };
  }

  get done(): boolean {
    return this.t >= this.T && this.nextLog >= this.logSteps.length;
  }

  /**
   * Take up to `steps` optimizer steps (stopping at T), recording the metrics of W_t at every logged
   * step. Nothing is read back here: rows stay on the backend until collect().
   */
  advance(steps: number): void {
    const stop = Math.min(this.T, this.t + steps);
    while (this.t < stop) this.step(true);
    // The final state W_T is logged without a further update.
    if (this.t === this.T && this.nextLog < this.logSteps.length) this.step(false);
  }

  /** Rebuild the coefficient columns if some run's coefficients at step t differ from the current ones. */
  private scheduleAt(t: number): void {
    const next = this.runs.map((run) => coefficientsAt(run, t));
    if (next.every((c, k) => c.a === this.coefficients[k].a && c.b === this.coefficients[k].b)) return;
    const { m } = this.stack;
    this.update.a.dispose();
    this.update.b.dispose();
    this.update.a = perFilterRow(next.map((c) => c.a), m);
    this.update.b = bRow(next.map((c) => c.b), m);
    this.coefficients = next;
  }

  /** [R, N] example weights of step t: 1 for full-batch runs, N / |batch| on a minibatch run's batch (the caller disposes it). */
  private examplesAt(t: number): tf.Tensor2D | undefined {
    if (!this.order) return undefined;
    const N = this.N;
    const weights = new Float32Array(this.runs.length * N);
    let oldest = Number.POSITIVE_INFINITY;
    this.runs.forEach((run, k) => {
      if (!isMinibatch(run)) {
        weights.fill(1, k * N, (k + 1) * N);
        return;
      }
      const batch = this.order!.batch(t, run.batch);
      for (const i of batch) weights[k * N + i] = N / batch.length;
      oldest = Math.min(oldest, Math.floor(t / stepsPerEpoch(N, run.batch)));
    });
    this.order.forget(oldest);
    return tf.tensor2d(weights, [this.runs.length, N]);
  }

  private step(update: boolean): void {
    const log = this.logSteps[this.nextLog] === this.t;
    this.scheduleAt(this.t);
    const k = new KernelScope();
    const examples = this.examplesAt(this.t);
    let next: { W: tf.Tensor2D; buf: tf.Tensor2D } | undefined;
    let row: tf.Tensor2D | undefined;
    try {
      const fwd = forward(k, this.W, this.train, this.stack);
      const g = gradient(k, fwd, this.train, this.stack, examples);
      const stepped = momentumUpdate(k, this.W, this.buf, g.grad, this.update);
      if (update) next = { W: k.tensor(stepped.W) as tf.Tensor2D, buf: k.tensor(stepped.buf) as tf.Tensor2D };
      // The scope is disposed before the tidy disposes what the metrics took from it (kernels.ts).
      if (log) row = tf.tidy(() => {
        try {
          return this.metrics(k, fwd, g, stepped.buf);
        } finally {
          k.dispose();
        }
      });
    } catch (e) {
      next?.W.dispose();
      next?.buf.dispose();
      throw e;
    } finally {
      k.dispose();
      examples?.dispose();
    }

    if (row) this.logged.push(this.t, row);
    if (log) this.nextLog++;
    if (next) {
      this.W.dispose();
      this.buf.dispose();
      this.W = next.W;
      this.buf = next.buf;
      this.t++;
    }
  }

  /** The gradient at the current W_t for every run, [R][m][d] flattened (for tests and exports). */
  currentGradient(): Float32Array {
    const k = new KernelScope();
    try {
      const scaled = k.tensor(gradient(k, forward(k, this.W, this.train, this.stack), this.train, this.stack).grad);
      k.dispose();
      const grad = tf.mul(scaled, 1 / GRAD_SCALE);
      scaled.dispose();
      const values = grad.dataSync() as Float32Array;
      grad.dispose();
      return values;
    } finally {
      k.dispose();
    }
  }

  /** One row per run ([R, rowLayout.length]) describing W_t. */
  private metrics(k: KernelScope, raw: Forward, g: Gradient, rawBuf: tf.TensorInfo): tf.Tensor2D {
    const { R, m } = this.stack;
    const t = (x: tf.TensorInfo) => k.tensor(x) as tf.Tensor2D;
    const fwd = { yf: t(raw.yf), c: t(raw.c), c2: t(raw.c2), signalSum: t(raw.signalSum), noiseSum: t(raw.noiseSum) };
    const weight = t(g.weight);
    const noiseCoef = t(g.noiseCoef);
    const buf = t(rawBuf);
    const N = this.train.count;
    const errRates = (split: Groups, yf: tf.Tensor2D) =>
      // "not y f > 0" rather than "y f <= 0": a NaN output (a diverged run) counts as an error
      tf.mul(tf.matMul(tf.cast(tf.logicalNot(tf.greater(yf, 0)), 'float32'), split.groups), split.groupScale); // [R, 3]
    const loss = tf.mean(tf.softplus(tf.neg(fwd.yf)), 1, true); // [R, 1]
    const summary = tf.concat([loss, errRates(this.train, fwd.yf), errRates(this.test, t(outputs(k, this.W, this.test, this.stack, raw.c)))], 1);

    const c = tf.reshape(fwd.c, [R, m]);
    // Minus the gradient along w*, split by margin: [R m, 2] -> [R, 2 m]
    // the signal patches' part: sum_i weight_i c_r^2 sig_i^2 (-<X_i[s], w*>) = c_r^2 (weight alongSignal)
    const alongSignal = tf.mul(tf.reshape(fwd.c2, [R, m, 1]), tf.reshape(tf.matMul(weight, this.alongSignal), [R, 1, 2]));
    // weight and noiseCoef come times GRAD_SCALE (step.ts); unscaled here, exactly
    const along = tf.mul(tf.add(tf.reshape(tf.matMul(noiseCoef, this.alongNoise), [R, m, 2]), alongSignal), 1 / GRAD_SCALE);
    const gParts = tf.reshape(tf.transpose(along, [0, 2, 1]), [R, 2 * m]);
    const gStep = tf.reshape(tf.matMul(buf, this.negWStarCol), [R, m]);
    const signal = tf.mul(fwd.signalSum, this.train.y);
    const noise = tf.mul(fwd.noiseSum, this.train.y);

    const row = tf.concat([summary, c, gParts, gStep, signal, noise], 1) as tf.Tensor2D;
    if (row.shape[1] !== rowLayout(m, N).length || summary.shape[1] !== SUMMARY_FIELDS.length) {
      throw new Error('engine row does not match sim/trace rowLayout');
    }
    return row;
  }

  /** Read back every row logged since the last call in one transfer (one GPU sync on webgl). */
  async collect(): Promise<Collected> {
    const { ts, values } = await this.logged.collect();
    return { ts, packed: values };
  }

  /** Blocking variant for Node (cpu and wasm backends read back synchronously anyway). */
  collectSync(): Collected {
    const { ts, values } = this.logged.collectSync();
    return { ts, packed: values };
  }

  /** The current filters of one run, m x d row-major (for tests and exports). */
  readFilters(run: number): Float32Array {
    return tf.tidy(() => tf.slice(this.W, [run * this.stack.m, 0], [this.stack.m, -1]).dataSync() as Float32Array);
  }

  dispose(): void {
    const owned: tf.Tensor[] = [
      ...splitTensors(this.train), this.train.groups, this.train.groupScale,
      ...splitTensors(this.test), this.test.groups, this.test.groupScale,
      this.alongNoise, this.alongSignal, this.negWStarCol, this.update.a, this.update.b, this.update.eta, this.W, this.buf,
    ];
    this.logged.dispose();
    for (const t of owned) t.dispose();
  }
}
