import * as tf from '@tensorflow/tfjs-core';
import type { Dataset, Split } from '../sim/data';
import { SUMMARY_FIELDS, loggedSteps, rowLayout } from '../sim/trace';
import { LoggedRows, groupColumns, patchMajor } from './logged-rows';
import { type RunSpec, updateCoefficients } from './runs';

/** Everything logged since the last collect: rows laid out [logged step][run][rowLayout]. */
export interface Collected {
  ts: number[];
  packed: Float32Array;
}

interface SplitTensors {
  count: number;
  /** Patch-major inputs as columns [d, P count]: column j count + i is X_i[j]. */
  XT: tf.Tensor2D;
  /** The same as rows [P count, d]. */
  X: tf.Tensor2D;
  /** Labels as a row [1, count]. */
  y: tf.Tensor2D;
  /** Columns: 1 for every example, for small-margin ones, for large-margin ones ([count, 3]). */
  groups: tf.Tensor2D;
  /** 1 / group size ([1, 3]); NaN for an empty group. */
  groupScale: tf.Tensor2D;
}

/**
 * Trains a batch of runs in lockstep on one data set, from one W0, with the closed-form gradient
 *   grad_{w_r} L = -(1/N) sum_i y_i l_i sum_j 3 <w_r, X_i[j]>^2 X_i[j],   l_i = sigmoid(-y_i f(X_i)).
 * The filters of all runs are stacked as the rows of one [R m, d] matrix, so a step is two
 * matmuls against constant data matrices for the whole batch, and no run's numbers ever mix with
 * another's. Layout matters for speed: no transposed matmuls in the step (on wasm they cost more
 * than the products themselves).
 * Every step runs inside tf.tidy; the trainer owns W, the buffers and the logged rows until collect().
 */
export class BatchTrainer {
  readonly runs: readonly RunSpec[];
  readonly T: number;
  readonly logSteps: readonly number[];
  /** Steps taken so far: W currently holds W_t. */
  t = 0;

  private readonly P: number;
  private readonly m: number;
  private readonly R: number;
  private readonly train: SplitTensors;
  private readonly test: SplitTensors;
  /** [1, P N]: 1 at each training example's signal patch. */
  private readonly signalMask: tf.Tensor2D;
  /** [P N, 2]: <X_i[j], w*> restricted to large-, then small-margin examples. */
  private readonly alongWStar: tf.Tensor2D;
  private readonly wStarCol: tf.Tensor2D;
  /** Per-row update coefficients [R m, 1]: buf <- a buf + b grad; W <- W - eta buf. */
  private readonly a: tf.Tensor2D;
  private readonly b: tf.Tensor2D;
  private readonly eta: tf.Tensor2D;
  /** Filters of all runs, [R m, d]. */
  private W: tf.Tensor2D;
  private buf: tf.Tensor2D;
  private nextLog = 0;
  private readonly logged = new LoggedRows();

  constructor(data: Dataset, runs: readonly RunSpec[], opts: { T: number; logEvery: number }) {
    const { d, P, m } = data;
    const R = runs.length;
    this.runs = runs;
    this.T = opts.T;
    this.logSteps = loggedSteps(opts.T, opts.logEvery);
    this.P = P;
    this.m = m;
    this.R = R;
    const N = data.train.count;
    const perRow = (f: (run: RunSpec) => number) =>
      tf.tensor2d(runs.flatMap((run) => Array<number>(m).fill(f(run))), [R * m, 1]);

    const mask = new Float32Array(P * N);
    const along = new Float32Array(P * N * 2);
    for (let i = 0; i < N; i++) {
      mask[data.train.signalPatch[i] * N + i] = 1;
      for (let j = 0; j < P; j++) {
        let dot = 0;
        for (let k = 0; k < d; k++) dot += data.train.X[(i * P + j) * d + k] * data.wStar[k];
        along[(j * N + i) * 2 + data.train.small[i]] = dot;
      }
    }

    this.train = this.splitTensors(data.train, d);
    this.test = this.splitTensors(data.test, d);
    this.signalMask = tf.tensor2d(mask, [1, P * N]);
    this.alongWStar = tf.tensor2d(along, [P * N, 2]);
    this.wStarCol = tf.tensor2d(data.wStar, [d, 1]);
    this.a = perRow((run) => updateCoefficients(run).a);
    this.b = perRow((run) => updateCoefficients(run).b);
    this.eta = perRow((run) => run.eta);
    this.W = tf.tidy(() => {
      const W0 = tf.tensor2d(data.W0, [m, d]);
      return tf.concat(runs.map(() => W0), 0) as tf.Tensor2D;
    });
    this.buf = tf.zeros([R * m, d]);
  }

  private splitTensors(split: Split, d: number): SplitTensors {
    const n = split.count;
    const X = tf.tensor2d(patchMajor(split, this.P, d), [this.P * n, d]);
    const { groups, scale } = groupColumns(split.small);
    return {
      count: n,
      X,
      XT: tf.tidy(() => tf.transpose(X) as tf.Tensor2D),
      y: tf.tensor2d(Float32Array.from(split.y), [1, n]),
      groups: tf.tensor2d(groups, [n, 3]),
      groupScale: tf.tensor2d(scale, [1, 3]),
    };
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

  private step(update: boolean): void {
    const log = this.logSteps[this.nextLog] === this.t;
    const [W, buf, row] = tf.tidy(() => {
      const fwd = this.forward(this.train);
      const { coef, grad } = this.gradient(fwd);
      const buf = tf.add(tf.mul(this.a, this.buf), tf.mul(this.b, grad)) as tf.Tensor2D;
      const W = update ? (tf.sub(this.W, tf.mul(this.eta, buf)) as tf.Tensor2D) : this.W;
      const metrics = log ? this.metrics(fwd, coef, buf) : undefined;
      return metrics ? [W, buf, metrics] : [W, buf];
    }) as tf.Tensor2D[];

    if (row) this.logged.push(this.t, row);
    if (log) this.nextLog++;
    if (update) {
      this.W.dispose();
      this.buf.dispose();
      this.W = W;
      this.buf = buf;
      this.t++;
    } else {
      buf.dispose();
    }
  }

  /** The closed-form gradient of the training loss at W, [R m, d], and its per-projection coefficients. */
  private gradient(fwd: ReturnType<BatchTrainer['forward']>) {
    const { P, R, m } = this;
    const N = this.train.count;
    // coef[r, j N + i] = dL / d<w_r, X_i[j]> = -(3/N) y_i l_i <w_r, X_i[j]>^2
    const l = tf.sigmoid(tf.neg(fwd.yf));
    const weight = tf.mul(l, tf.mul(this.train.y, -3 / N)); // [R, N]
    const coef = tf.reshape<tf.Rank.R2>(tf.mul(tf.reshape(fwd.H2, [R, m, P, N]), tf.reshape(weight, [R, 1, 1, N])), [R * m, P * N]);
    return { coef, grad: tf.matMul(coef, this.train.X) }; // grad: [R m, d]
  }

  /** The gradient at the current W_t for every run, [R][m][d] flattened (for tests and exports). */
  currentGradient(): Float32Array {
    return tf.tidy(() => this.gradient(this.forward(this.train)).grad.dataSync() as Float32Array);
  }

  /** y_i f(X_i) for every run and example ([R, count]), with the powers of <w_r, X_i[j]> it is built from. */
  private forward(split: SplitTensors) {
    const n = split.count;
    const H = tf.matMul(this.W, split.XT); // [R m, P n]: <w_r, X_i[j]>
    const H2 = tf.mul(H, H);
    const H3 = tf.mul(H2, H);
    const yf = tf.mul(this.sumPerRun(H3, n), split.y) as tf.Tensor2D;
    return { H2, H3, yf };
  }

  /**
   * Sum [R m, P n] over each run's filters and each example's patches -> [R, n]. A reduction, not a
   * product with a 0/1 matrix: 0 * Inf is NaN, and one diverging run must not poison the others.
   */
  private sumPerRun(x: tf.Tensor, n: number): tf.Tensor2D {
    return tf.sum(tf.reshape(x, [this.R, this.m * this.P, n]), 1);
  }

  /** One row per run ([R, rowLayout.length]) describing W_t. */
  private metrics(fwd: ReturnType<BatchTrainer['forward']>, coef: tf.Tensor2D, buf: tf.Tensor2D): tf.Tensor2D {
    const { R, m } = this;
    const N = this.train.count;
    const errRates = (split: SplitTensors, yf: tf.Tensor2D) =>
      // "not y f > 0" rather than "y f <= 0": a NaN output (a diverged run) counts as an error
      tf.mul(tf.matMul(tf.cast(tf.logicalNot(tf.greater(yf, 0)), 'float32'), split.groups), split.groupScale); // [R, 3]
    const loss = tf.mean(tf.softplus(tf.neg(fwd.yf)), 1, true); // [R, 1]
    const summary = tf.concat([loss, errRates(this.train, fwd.yf), errRates(this.test, this.forward(this.test).yf)], 1);

    const c = tf.reshape(tf.matMul(this.W, this.wStarCol), [R, m]);
    // Minus the gradient along w*, split by margin: [R m, 2] -> [R, 2 m]
    const gParts = tf.reshape(tf.transpose(tf.reshape(tf.neg(tf.matMul(coef, this.alongWStar)), [R, m, 2]), [0, 2, 1]), [R, 2 * m]);
    const gStep = tf.reshape(tf.neg(tf.matMul(buf, this.wStarCol)), [R, m]);
    const signal = tf.mul(this.sumPerRun(tf.mul(fwd.H3, this.signalMask), N), this.train.y);
    const noise = tf.sub(fwd.yf, signal);

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
    return tf.tidy(() => tf.slice(this.W, [run * this.m, 0], [this.m, -1]).dataSync() as Float32Array);
  }

  dispose(): void {
    const owned: tf.Tensor[] = [
      ...[this.train, this.test].flatMap((s) => [s.X, s.XT, s.y, s.groups, s.groupScale]),
      this.signalMask, this.alongWStar, this.wStarCol, this.a, this.b, this.eta, this.W, this.buf,
    ];
    this.logged.dispose();
    for (const t of owned) t.dispose();
  }
}
