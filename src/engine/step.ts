/**
 * One optimizer step of R runs stacked as the rows of one [R m, d] filter matrix, shared by the pair
 * trainer (trainer.ts) and the phase-map sweep (sweep.ts). The closed-form gradient:
 *   grad_{w_r} L = -(1/N) sum_i y_i l_i sum_j 3 <w_r, X_i[j]>^2 X_i[j],   l_i = sigmoid(-y_i f(X_i)).
 * A step is two matmuls against constant matrices of the noise patches (H = W X^T, grad = coef X)
 * whatever R is, plus the signal patch's rank-one part along w* (SplitInputs), and no run's numbers
 * mix with another's. No transposed matmuls: on wasm they cost more than the products themselves.
 * The kernels run through a KernelScope (kernels.ts), which owns their outputs.
 * The gradient is computed times GRAD_SCALE (below), so that its small products stay normal floats.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type Split, signalCoefficients } from '../sim/data';
import { type KernelScope } from './kernels';
import { noisePatches } from './logged-rows';

/**
 * The constant matrices of one split (train or test). The signal patch is sig_i w* (sim/data.ts
 * signalCoefficients), so its projections are the outer product c_r sig_i with c = W w*, and its
 * part of f(X_i) is (sum_r c_r^3) sig_i^3: the products run over the P - 1 noise patches only, and
 * the signal patch costs [R m]- and [R, N]-sized work (Node wasm, default size: the two training
 * products 157 + 144 -> 119 + 110 us, the test forward's product 674 -> 528 us; bench/pair.ts, an
 * unlogged pair step 489 -> 444 us, a logged one 1.74 -> 1.41 ms).
 */
interface SignalInputs {
  count: number;
  /** m (P - 1), the noise terms of each example's f: sumPerRun's factor, uploaded once rather than per step (5 % of the pair's steps/s, Node wasm). */
  terms: tf.Scalar;
  /** [1, n]: sig_i^3. */
  sig3: tf.Tensor2D;
  /** [d, 1]: w*. */
  wStar: tf.Tensor2D;
  /** [1, n] labels. */
  y: tf.Tensor2D;
}

/**
 * The gradient's products are computed times 2^32 and the update takes b / 2^32 (UpdateRows): once
 * GD has fitted an example, its weight l_i = sigmoid(-y_i f) falls towards 1e-30, and its products
 * weight_i <w_r, X_i[j]>^2 (and those times X inside the matmul) fall below 2^-126, where floats are
 * subnormal. wasm has no flush-to-zero, and on x86 a subnormal operand costs a microcode assist: at
 * the defaults 15,000 of the 80,000 noise coefficients were subnormal at t = 800, the gradient's
 * product [40, 2000] x [2000, 30] took 6.7 ms a step instead of 0.15, and the default experiment
 * 3.6 s instead of 0.9 (Node wasm, an Intel Xeon; 2^24 left the product at 0.3 ms). A power of two
 * scales exactly: every number is bit for bit the unscaled one's wherever nothing underflowed, and
 * nearer the exact one where something did.
 * Overflow: a scaled coefficient overflows only where 3 <w_r, X_i[j]>^2 > 7.9e28 |batch|, beyond the
 * point where f(X_i)'s cubes are infinite; a scaled gradient only beyond 7.9e28, where W_{t+1}'s
 * entries (eta b >= 1e-7 times it) make the next loss infinite anyway: a diverging run diverges at the
 * same step.
 */
export const GRAD_SCALE = 2 ** 32;

/** A trained split, noise patches slot-major: row s n + i is example i's s-th noise patch (its patches in order, the signal patch left out). */
export interface SplitInputs extends SignalInputs {
  /** [(P - 1) n, d] */
  X: tf.Tensor2D;
  /** [d, (P - 1) n]: the same, transposed once so that no step transposes. */
  XT: tf.Tensor2D;
  /** [n, 1]: sig^3 as a column (the gradient's part along w*). */
  sig3Col: tf.Tensor2D;
  /** [1, d]: w* as a row (the gradient's part along w* is an outer product with it). */
  wStarRow: tf.Tensor2D;
  /** [1, n]: -3 y / n times GRAD_SCALE, the gradient's constant factor, once rather than a scalar upload and a product per step (exact: y = +-1). */
  yGrad: tf.Tensor2D;
}

/**
 * A split that is only ever evaluated (the test set): its noise patches slot-major as in SplitInputs,
 * so that the sum over filters and patches is one pool (sumPerRun; the example-major order of the
 * first version served tf.sum, which reduces the innermost axis fastest).
 */
export interface EvalInputs extends SignalInputs {
  /** [d, (P - 1) n] */
  XT: tf.Tensor2D;
}

/** The stack's shape: R runs of m filters on P patches. */
export interface Stack {
  R: number;
  m: number;
  P: number;
}

/** A step's tensors: a KernelScope's outputs, or the trainer's own tf.Tensors. */
type Info = tf.TensorInfo;

export interface Forward {
  /** [R m, 1]: c_r = <w_r, w*>, and c_r^2 (the signal patch's f and gradient both use it). */
  c: Info;
  c2: Info;
  /** [R m, (P - 1) n]: <w_r, X_i[j]>^2 over the noise patches. */
  noiseH2: Info;
  /** [R, n]: f(X_i)'s sums over the noise patches and over the signal patch (without y). */
  noiseSum: Info;
  signalSum: Info;
  /** [R, n]: y_i f(X_i) per run. */
  yf: Info;
}

/**
 * Sum [R m, (P - 1) n] (columns slot-major, s n + i) over each run's m filters and P - 1 noise
 * patches -> [R, n]: split.terms = m (P - 1) rows per run.
 * An average pool over the rows of each run's [m (P - 1), 1, n] block, times m (P - 1): wasm's Sum transposes
 * an axis that is not innermost (60-70 us for [2, 80, 500], Node wasm), where XNNPACK's pool reads
 * the rows in place (~12 us; the test split's [2, 80, 2000]: 162 -> 39 us). A reduction, not a
 * product with a 0/1 matrix: 0 * Inf is NaN, and one diverging run must not poison the others.
 * Rounding: the mean times m (P - 1) is within an ulp or two of the sum, not bit-equal to tf.sum's.
 */
export function sumPerRun(k: KernelScope, x: Info, split: SignalInputs, R: number): Info {
  const n = split.count;
  const rows = tf.util.sizeFromShape(x.shape) / (R * n);
  const mean = k.avgPool(k.reshape(x, [R, rows, 1, n]), [rows, 1], [rows, 1]);
  return k.mul(k.reshape(mean, [R, n]), split.terms);
}

/** [R, n]: the signal patch's part of f(X_i), (sum over each run's filters of c_r^3) sig_i^3. */
function signalPart(k: KernelScope, c: Info, c2: Info, split: SignalInputs, R: number): Info {
  return k.mul(k.sumKeep(k.reshape(k.mul(c2, c), [R, -1]), 1), split.sig3);
}

export function forward(k: KernelScope, W: Info, split: SplitInputs, { R }: Stack): Forward {
  const c = k.matMul(W, split.wStar);
  const c2 = k.square(c);
  const H = k.matMul(W, split.XT);
  // square, not mul(H, H): the same x * x, one input (9 against 16 us over [40, 2500] on wasm).
  const noiseH2 = k.square(H);
  const noiseSum = sumPerRun(k, k.mul(noiseH2, H), split, R);
  const signalSum = signalPart(k, c, c2, split, R);
  return { c, c2, noiseH2, noiseSum, signalSum, yf: k.mul(k.add(noiseSum, signalSum), split.y) };
}

/** y_i f(X_i) per run, [R, n], on an evaluated split; c = W w* when the caller has it. */
export function outputs(k: KernelScope, W: Info, split: EvalInputs, { R }: Stack, c: Info = k.matMul(W, split.wStar)): Info {
  const H = k.matMul(W, split.XT);
  const noise = sumPerRun(k, k.mul(k.square(H), H), split, R);
  return k.mul(k.add(noise, signalPart(k, c, k.square(c), split, R)), split.y);
}

/** Every field times GRAD_SCALE. */
export interface Gradient {
  /** [R m, (P - 1) N]: dL / d<w_r, X_i[j]> over the noise patches. */
  noiseCoef: Info;
  /** [R, N]: dL / d<w_r, X_i[j]> = weight_i <w_r, X_i[j]>^2, so on the signal patch weight_i c_r^2 sig_i^2. */
  weight: Info;
  /** [R m, d] */
  grad: Info;
}

/**
 * The gradient of the training loss, [R m, d], and its coefficients per projection, times GRAD_SCALE.
 * `examples` ([R, N], optional) weighs each run's examples: a minibatch run has N / |batch| on its
 * batch and 0 elsewhere, so its gradient is the mean over the batch; a full-batch run has 1 (x 1 is
 * exact: its numbers do not change).
 */
export function gradient(k: KernelScope, fwd: Forward, train: SplitInputs, { R, m }: Stack, examples?: Info): Gradient {
  const N = train.count;
  // noiseCoef[r, s N + i] = dL / d<w_r, X_i[j]> = weight_i <w_r, X_i[j]>^2, weight_i = -(3/N) y_i l_i (j: the s-th noise patch)
  const full = k.mul(k.sigmoid(k.neg(fwd.yf)), train.yGrad); // [R, N]
  const weight = examples ? k.mul(full, examples) : full;
  const noiseCoef = k.reshape(k.mul(k.reshape(fwd.noiseH2, [R, -1, N]), k.reshape(weight, [R, 1, N])), [R * m, -1]);
  // the signal patch's part, sum_i weight_i c_r^2 sig_i^2 (sig_i w*) = c_r^2 (weight sig^3) w*^T
  const perRun = k.reshape(k.matMul(weight, train.sig3Col), [R, 1]);
  const alongWStar = k.mul(k.reshape(k.mul(k.reshape(fwd.c2, [R, m]), perRun), [R * m, 1]), train.wStarRow);
  return { noiseCoef, weight, grad: k.add(k.matMul(noiseCoef, train.X), alongWStar) };
}

/** Per filter row [R m, 1]: buf <- a buf + b grad; W <- W - eta buf. `b` is b / GRAD_SCALE (bRow): grad comes scaled. */
export interface UpdateRows {
  a: tf.Tensor2D;
  b: tf.Tensor2D;
  eta: tf.Tensor2D;
}

/** UpdateRows.b from each run's b (exact: a power of two). */
export function bRow(values: readonly number[], m: number): tf.Tensor2D {
  return perFilterRow(values.map((b) => b / GRAD_SCALE), m);
}

export function momentumUpdate(k: KernelScope, W: Info, buf: Info, grad: Info, rows: UpdateRows): { W: Info; buf: Info } {
  const next = k.add(k.mul(rows.a, buf), k.mul(rows.b, grad));
  return { W: k.sub(W, k.mul(rows.eta, next)), buf: next };
}

/** One [R m, 1] column with each run's value repeated over its m filters. */
export function perFilterRow(values: readonly number[], m: number): tf.Tensor2D {
  return tf.tensor2d(values.flatMap((v) => Array<number>(m).fill(v)), [values.length * m, 1]);
}

function signalInputs(split: Split, P: number, d: number, wStar: Float32Array, m: number): SignalInputs {
  const { sig, firstBad } = signalCoefficients(split, P, d, wStar);
  if (firstBad >= 0) throw new Error(`example ${firstBad}'s signal patch is not a multiple of w*: the engine trains on the paper's data, X_i[s] = c y_i w*`);
  return {
    count: split.count,
    terms: tf.scalar(m * (P - 1)),
    sig3: tf.tensor2d(Float32Array.from(sig, (v) => v ** 3), [1, split.count]),
    wStar: tf.tensor2d(wStar, [d, 1]),
    y: tf.tensor2d(Float32Array.from(split.y), [1, split.count]),
  };
}

/** A trained split's constant matrices, for a model of m filters. */
export function splitInputs(split: Split, P: number, d: number, wStar: Float32Array, m: number): SplitInputs {
  const n = split.count;
  const X = tf.tensor2d(noisePatches(split, P, d), [(P - 1) * n, d]);
  const base = signalInputs(split, P, d, wStar, m);
  return {
    ...base,
    X,
    XT: tf.tidy(() => tf.transpose(X) as tf.Tensor2D),
    sig3Col: tf.reshape(base.sig3, [n, 1]),
    wStarRow: tf.reshape(base.wStar, [1, d]),
    yGrad: tf.tensor2d(Float32Array.from(split.y, (v) => (-3 / n) * GRAD_SCALE * v), [1, n]),
  };
}

/** An evaluated split's constant matrices (EvalInputs), for a model of m filters. */
export function evalInputs(split: Split, P: number, d: number, wStar: Float32Array, m: number): EvalInputs {
  const n = split.count;
  return {
    ...signalInputs(split, P, d, wStar, m),
    XT: tf.tidy(() => tf.transpose(tf.tensor2d(noisePatches(split, P, d), [n * (P - 1), d])) as tf.Tensor2D),
  };
}

/** Every tensor a split's inputs own (to dispose them). */
export function splitTensors(split: SplitInputs | EvalInputs): tf.Tensor[] {
  return [split.terms, split.sig3, split.wStar, split.y, split.XT, ...('X' in split ? [split.X, split.sig3Col, split.wStarRow, split.yGrad] : [])];
}
