/**
 * A plain float64 implementation of the experiment, loop by loop from the formulas in science.md.
 * It exists to check the tfjs engine: slow, obvious, and sharing no code with it.
 */
import { type Dataset, type Split, batchRandom } from './data';
import type { MomentumForm } from './params';
import { loggedSteps } from './trace';

export interface ReferenceRun {
  eta: number;
  gamma: number;
  form: MomentumForm;
  /** Momentum only from this step on (plain GD before; the buffer starts empty there). */
  momentumFrom?: number;
  /** Momentum only before this step (plain GD from there, the buffer dropped). */
  momentumUntil?: number;
  /** Minibatch size (absent or null: full batch), batches shuffled per epoch from `seed`. */
  batch?: number | null;
}

export interface ReferenceRow {
  t: number;
  loss: number;
  trainErr: number;
  testErr: number;
  testErrSmall: number;
  testErrLarge: number;
  /** c_r = <w_r, w*>. */
  c: number[];
  /** Per training example: signal and noise parts of y f. */
  signal: number[];
  noise: number[];
  /** Minus the gradient along w*, per filter, from large- and small-margin examples. */
  gLarge: number[];
  gSmall: number[];
}

/** <w_r, X_i[j]> for all r, j of one example. */
function projections(W: Float64Array, split: Split, i: number, d: number, P: number, m: number): Float64Array {
  const h = new Float64Array(P * m);
  for (let j = 0; j < P; j++) {
    const at = (i * P + j) * d;
    for (let r = 0; r < m; r++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += W[r * d + k] * split.X[at + k];
      h[j * m + r] = s;
    }
  }
  return h;
}

/** y_i f(X_i) split into its signal-patch and noise-patch parts. */
export function referenceMargins(W: Float64Array, split: Split, d: number, P: number, m: number) {
  const signal = new Float64Array(split.count);
  const noise = new Float64Array(split.count);
  for (let i = 0; i < split.count; i++) {
    const h = projections(W, split, i, d, P, m);
    for (let j = 0; j < P; j++) {
      let s = 0;
      for (let r = 0; r < m; r++) s += h[j * m + r] ** 3;
      if (j === split.signalPatch[i]) signal[i] += split.y[i] * s;
      else noise[i] += split.y[i] * s;
    }
  }
  return { signal, noise };
}

/** Mean logistic loss and its gradient (m x d), restricted to examples where `keep(i)`; divides by N all the same. */
export function referenceGradient(W: Float64Array, data: Dataset, keep: (i: number) => boolean = () => true) {
  const { d, P, m, train } = data;
  const N = train.count;
  const grad = new Float64Array(m * d);
  let loss = 0;
  for (let i = 0; i < N; i++) {
    const h = projections(W, train, i, d, P, m);
    let f = 0;
    for (const v of h) f += v ** 3;
    const yf = train.y[i] * f;
    loss += yf > 0 ? Math.log1p(Math.exp(-yf)) : -yf + Math.log1p(Math.exp(yf));
    if (!keep(i)) continue;
    const l = 1 / (1 + Math.exp(yf));
    for (let j = 0; j < P; j++) {
      const at = (i * P + j) * d;
      for (let r = 0; r < m; r++) {
        const coef = (-train.y[i] * l * 3 * h[j * m + r] ** 2) / N;
        for (let k = 0; k < d; k++) grad[r * d + k] += coef * train.X[at + k];
      }
    }
  }
  return { loss: loss / N, grad };
}

function errorRates(W: Float64Array, split: Split, d: number, P: number, m: number) {
  const { signal, noise } = referenceMargins(W, split, d, P, m);
  let all = 0;
  let small = 0;
  let nSmall = 0;
  for (let i = 0; i < split.count; i++) {
    const wrong = signal[i] + noise[i] <= 0 ? 1 : 0;
    all += wrong;
    if (split.small[i]) {
      small += wrong;
      nSmall++;
    }
  }
  return {
    err: all / split.count,
    small: nSmall ? small / nSmall : Number.NaN,
    large: split.count - nSmall ? (all - small) / (split.count - nSmall) : Number.NaN,
    signal,
    noise,
  };
}

function alongWStar(v: Float64Array, wStar: Float32Array, m: number, d: number): number[] {
  return Array.from({ length: m }, (_, r) => {
    let s = 0;
    for (let k = 0; k < d; k++) s -= v[r * d + k] * wStar[k];
    return s;
  });
}

/**
 * The examples of every step of a minibatch run, written out step by step: per epoch a fresh
 * Fisher-Yates shuffle of 0..N-1 from the seed's batch stream, cut into consecutive batches of b
 * (the last one shorter when b does not divide N). Only the random stream is shared with the engine.
 */
function referenceBatches(seed: number, N: number, b: number, T: number): number[][] {
  const rand = batchRandom(seed);
  const steps: number[][] = [];
  while (steps.length < T + 1) {
    const order: number[] = [];
    for (let i = 0; i < N; i++) order.push(i);
    for (let i = N - 1; i >= 1; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (let start = 0; start < N && steps.length < T + 1; start += b) steps.push(order.slice(start, start + b));
  }
  return steps;
}

/**
 * Train one optimizer from data.W0 for T steps and record the state at every logged step.
 * `seed` orders the minibatches of a minibatch run.
 */
export function referenceRun(data: Dataset, run: ReferenceRun, T: number, logEvery: number, seed = 0, logDense = 0): ReferenceRow[] {
  const { d, P, m, wStar } = data;
  const N = data.train.count;
  const W = Float64Array.from(data.W0);
  const buf = new Float64Array(m * d);
  const from = run.momentumFrom ?? 0;
  const until = run.momentumUntil ?? Infinity;
  const batches = run.batch ? referenceBatches(seed, N, run.batch, T) : null;
  const logs = new Set(loggedSteps(T, logEvery, logDense));
  const rows: ReferenceRow[] = [];
  for (let t = 0; t <= T; t++) {
    const { loss, grad: fullGrad } = referenceGradient(W, data);
    let grad = fullGrad;
    if (batches) {
      // The mean over the batch: the sum over its examples (referenceGradient divides by N) times N / |batch|.
      const inBatch = new Set(batches[t]);
      grad = referenceGradient(W, data, (i) => inBatch.has(i)).grad.map((g) => (g * N) / inBatch.size);
    }
    if (logs.has(t)) {
      const train = errorRates(W, data.train, d, P, m);
      const test = errorRates(W, data.test, d, P, m);
      rows.push({
        t,
        loss,
        trainErr: train.err,
        testErr: test.err,
        testErrSmall: test.small,
        testErrLarge: test.large,
        c: alongWStar(W, wStar, m, d).map((x) => -x),
        signal: Array.from(train.signal),
        noise: Array.from(train.noise),
        gLarge: alongWStar(referenceGradient(W, data, (i) => !data.train.small[i]).grad, wStar, m, d),
        gSmall: alongWStar(referenceGradient(W, data, (i) => !!data.train.small[i]).grad, wStar, m, d),
      });
    }
    if (t === T) break;
    if (t < from || t >= until || run.gamma === 0) {
      // plain GD; nothing is carried over
      for (let k = 0; k < W.length; k++) W[k] -= run.eta * grad[k];
      continue;
    }
    if (t === from) buf.fill(0); // momentum switched on: an empty buffer
    for (let k = 0; k < W.length; k++) {
      buf[k] = run.gamma * buf[k] + (run.form === 'ema' ? 1 - run.gamma : 1) * grad[k];
      W[k] -= run.eta * buf[k];
    }
  }
  return rows;
}
