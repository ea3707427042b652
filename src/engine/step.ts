/**
 * One optimizer step of R runs stacked as the rows of one [R m, d] filter matrix, shared by the pair
 * trainer (trainer.ts) and the phase-map sweep (sweep.ts). The closed-form gradient:
 *   grad_{w_r} L = -(1/N) sum_i y_i l_i sum_j 3 <w_r, X_i[j]>^2 X_i[j],   l_i = sigmoid(-y_i f(X_i)).
 * A step is two matmuls against constant data matrices (H = W X^T, grad = coef X) whatever R is, and
 * no run's numbers mix with another's. No transposed matmuls: on wasm they cost more than the
 * products themselves. Call inside tf.tidy.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Split } from '../sim/data';
import { patchMajor } from './logged-rows';

/** The constant matrices of one split (train or test), patch-major: row j n + i is X_i[j]. */
export interface SplitInputs {
  count: number;
  /** [P n, d] */
  X: tf.Tensor2D;
  /** [d, P n]: the same, transposed once so that no step transposes. */
  XT: tf.Tensor2D;
  /** [1, n] labels. */
  y: tf.Tensor2D;
  /** [1, n]: -3 y / n, the gradient's constant factor, once rather than a scalar upload and a product per step (exact: y = +-1). */
  yGrad: tf.Tensor2D;
}

/**
 * A split that is only ever evaluated (the test set): example-major, column i P + j of XT is X_i[j],
 * so that the per-run sum over filters and patches starts along the innermost axis (patches) and
 * transposes only the [R, m, n] partial sums. wasm's Sum transposes any axis that is not innermost:
 * over [R, m P, n] that transpose of 400k numbers took 400 us of a 660 us test forward (n = 2000);
 * this order takes 166 us (Node wasm, best of 200).
 */
export interface EvalInputs {
  count: number;
  /** [d, n P] */
  XT: tf.Tensor2D;
  /** [1, n] labels. */
  y: tf.Tensor2D;
}

/** The stack's shape: R runs of m filters on P patches. */
export interface Stack {
  R: number;
  m: number;
  P: number;
}

export interface Forward {
  /** [R m, P n]: <w_r, X_i[j]>^2 and ^3. */
  H2: tf.Tensor2D;
  H3: tf.Tensor2D;
  /** [R, n]: y_i f(X_i) per run. */
  yf: tf.Tensor2D;
}

/**
 * Sum [R m, P n] over each run's filters and each example's patches -> [R, n]. A reduction, not a
 * product with a 0/1 matrix: 0 * Inf is NaN, and one diverging run must not poison the others.
 */
export function sumPerRun(x: tf.Tensor, { R, m, P }: Stack, n: number): tf.Tensor2D {
  return tf.sum(tf.reshape(x, [R, m * P, n]), 1);
}

export function forward(W: tf.Tensor2D, split: SplitInputs, stack: Stack): Forward {
  const H = tf.matMul(W, split.XT);
  // square, not mul(H, H): the same x * x, one input (9 against 16 us over [40, 2500] on wasm).
  const H2 = tf.square(H) as tf.Tensor2D;
  const H3 = tf.mul(H2, H) as tf.Tensor2D;
  return { H2, H3, yf: tf.mul(sumPerRun(H3, stack, split.count), split.y) as tf.Tensor2D };
}

/** y_i f(X_i) per run, [R, n], on an evaluated split (EvalInputs' order). */
export function outputs(W: tf.Tensor2D, split: EvalInputs, { R, m, P }: Stack): tf.Tensor2D {
  const H = tf.matMul(W, split.XT);
  const H3 = tf.mul(tf.square(H), H);
  return tf.mul(tf.sum(tf.sum(tf.reshape(H3, [R, m, split.count, P]), 3), 1), split.y) as tf.Tensor2D;
}

/**
 * The gradient of the training loss, [R m, d], and its coefficients per projection, [R m, P N].
 * `examples` ([R, N], optional) weighs each run's examples: a minibatch run has N / |batch| on its
 * batch and 0 elsewhere, so its gradient is the mean over the batch; a full-batch run has 1 (x 1 is
 * exact: its numbers do not change).
 */
export function gradient(fwd: Forward, train: SplitInputs, { R, m, P }: Stack, examples?: tf.Tensor2D): { coef: tf.Tensor2D; grad: tf.Tensor2D } {
  const N = train.count;
  // coef[r, j N + i] = dL / d<w_r, X_i[j]> = -(3/N) y_i l_i <w_r, X_i[j]>^2
  const full = tf.mul(tf.sigmoid(tf.neg(fwd.yf)), train.yGrad); // [R, N]
  const weight = examples ? tf.mul(full, examples) : full;
  const coef = tf.reshape<tf.Rank.R2>(tf.mul(tf.reshape(fwd.H2, [R, m * P, N]), tf.reshape(weight, [R, 1, N])), [R * m, P * N]);
  return { coef, grad: tf.matMul(coef, train.X) };
}

/** Per filter row [R m, 1]: buf <- a buf + b grad; W <- W - eta buf. */
export interface UpdateRows {
  a: tf.Tensor2D;
  b: tf.Tensor2D;
  eta: tf.Tensor2D;
}

export function momentumUpdate(W: tf.Tensor2D, buf: tf.Tensor2D, grad: tf.Tensor2D, rows: UpdateRows): { W: tf.Tensor2D; buf: tf.Tensor2D } {
  const next = tf.add(tf.mul(rows.a, buf), tf.mul(rows.b, grad)) as tf.Tensor2D;
  return { W: tf.sub(W, tf.mul(rows.eta, next)) as tf.Tensor2D, buf: next };
}

/** One [R m, 1] column with each run's value repeated over its m filters. */
export function perFilterRow(values: readonly number[], m: number): tf.Tensor2D {
  return tf.tensor2d(values.flatMap((v) => Array<number>(m).fill(v)), [values.length * m, 1]);
}

/** A split's constant matrices. */
export function splitInputs(split: Split, P: number, d: number): SplitInputs {
  const n = split.count;
  const X = tf.tensor2d(patchMajor(split, P, d), [P * n, d]);
  return {
    count: n,
    X,
    XT: tf.tidy(() => tf.transpose(X) as tf.Tensor2D),
    y: tf.tensor2d(Float32Array.from(split.y), [1, n]),
    yGrad: tf.tensor2d(Float32Array.from(split.y, (v) => (-3 / n) * v), [1, n]),
  };
}

/** An evaluated split's constant matrices (EvalInputs): split.X is already example-major. */
export function evalInputs(split: Split, P: number, d: number): EvalInputs {
  const n = split.count;
  return {
    count: n,
    XT: tf.tidy(() => tf.transpose(tf.tensor2d(split.X, [n * P, d])) as tf.Tensor2D),
    y: tf.tensor2d(Float32Array.from(split.y), [1, n]),
  };
}
