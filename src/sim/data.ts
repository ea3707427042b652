import { randomBernoulli, randomInt, randomLcg, randomNormal } from 'd3-random';
import type { Config } from './params';

/**
 * One split of the synthetic data set (science.md, "The synthetic setting").
 * X is stored example-major, X[(i * P + j) * d + k] = X_i[j]_k, as float32: these are exactly the
 * numbers the engine trains on and the --dump writes out.
 */
export interface Split {
  count: number;
  X: Float32Array;
  /** Labels, -1 or +1. */
  y: Int8Array;
  /** 1 where the example has the small margin beta, 0 where it has alpha. */
  small: Uint8Array;
  /** s(X_i): index of the signal patch. */
  signalPatch: Uint8Array;
}

export interface Dataset {
  d: number;
  P: number;
  m: number;
  /** The shared feature w*, a unit vector. */
  wStar: Float32Array;
  train: Split;
  test: Split;
  /** Initial filters W0, row-major m x d: W0[r * d + k]. Identical for every optimizer. */
  W0: Float32Array;
}

/**
 * Independent streams per purpose, so changing Ntest leaves the training set alone and changing N
 * leaves W0 alone. The mixing only spreads seeds apart; the random numbers come from d3-random's LCG.
 */
const STREAMS = { feature: 1, train: 2, test: 3, init: 4, batches: 5 } as const;

function streamSeed(seed: number, stream: number): number {
  let h = Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(stream, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h ^= h >>> 13;
  return h >>> 0;
}

function source(seed: number, stream: number): () => number {
  return randomLcg(streamSeed(seed, stream));
}

function unitVector(d: number, rand: () => number): Float64Array {
  const normal = randomNormal.source(rand)(0, 1);
  const v = Float64Array.from({ length: d }, normal);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

function makeSplit(count: number, cfg: Config, wStar: Float64Array, rand: () => number): Split {
  const { d, P, mu, alpha, beta, sigma } = cfg;
  const label = randomBernoulli.source(rand)(0.5);
  const isSmall = randomBernoulli.source(rand)(mu);
  const patch = randomInt.source(rand)(P);
  const noise = randomNormal.source(rand)(0, sigma);

  const X = new Float32Array(count * P * d);
  const y = new Int8Array(count);
  const small = new Uint8Array(count);
  const signalPatch = new Uint8Array(count);
  const z = new Float64Array(d);

  for (let i = 0; i < count; i++) {
    y[i] = label() ? 1 : -1;
    small[i] = isSmall();
    signalPatch[i] = patch();
    const c = small[i] ? beta : alpha;
    for (let j = 0; j < P; j++) {
      const at = (i * P + j) * d;
      if (j === signalPatch[i]) signalPatchAt(X, at, c * y[i], wStar, d);
      else noisePatchAt(X, at, z, wStar, noise, d);
    }
  }
  return { count, X, y, small, signalPatch };
}

// The loops over a patch's d coordinates live in small functions of their own (here, in
// signalCoefficients and in BatchTrainer's constructor, dotAt). A caller with the loops inline was
// compiled whole on stack replacement, and again for each new data set: in the page, BatchTrainer's
// constructor took 128 ms of TurboFan over a live run and its four background seeds, 9 ms now.
// makeSplit still compiles with its patch loops inlined (TurboFan inlines small functions).

/** X[at..at+d) = c w*: a signal patch. */
function signalPatchAt(X: Float32Array, at: number, c: number, wStar: Float64Array, d: number): void {
  for (let k = 0; k < d; k++) X[at + k] = c * wStar[k];
}

/** X[at..at+d): a draw of N(0, sigma^2 (I - w* w*^T)), an isotropic draw with its w* component removed. */
function noisePatchAt(X: Float32Array, at: number, z: Float64Array, wStar: Float64Array, noise: () => number, d: number): void {
  let dot = 0;
  for (let k = 0; k < d; k++) {
    z[k] = noise();
    dot += z[k] * wStar[k];
  }
  for (let k = 0; k < d; k++) X[at + k] = z[k] - dot * wStar[k];
}

/** <X[at..at+d), w> summed in float64, in the order k = 0, 1, ... */
export function dotAt(X: Float32Array, at: number, w: Float32Array, d: number): number {
  let dot = 0;
  for (let k = 0; k < d; k++) dot += X[at + k] * w[k];
  return dot;
}

/** max_k |X[at + k] - s w_k|: how far a patch is from s w. */
function offsetFrom(X: Float32Array, at: number, s: number, w: Float32Array, d: number): number {
  let off = 0;
  for (let k = 0; k < d; k++) off = Math.max(off, Math.abs(X[at + k] - s * w[k]));
  return off;
}

/**
 * sig_i with X_i[s(X_i)] = sig_i w* (sig_i = y_i times alpha or beta), in float64 from the stored
 * float32 patch: the engine takes the signal patch's projections as sig_i <w_r, w*>, not as one more
 * column of its products (a fifth of their size at P = 5). `firstBad` is the first example whose
 * signal patch is not a multiple of w* (a loaded data set that is not the paper's), -1 if none.
 */
export function signalCoefficients(split: Split, P: number, d: number, wStar: Float32Array): { sig: Float64Array; firstBad: number } {
  let norm2 = 0;
  for (let k = 0; k < d; k++) norm2 += wStar[k] * wStar[k];
  const sig = new Float64Array(split.count);
  let firstBad = -1;
  for (let i = 0; i < split.count; i++) {
    const at = (i * P + split.signalPatch[i]) * d;
    sig[i] = dotAt(split.X, at, wStar, d) / norm2;
    // float32 rounding of c y w*_k is 2^-24 relative; anything past 1e-5 is another vector
    const off = offsetFrom(split.X, at, sig[i], wStar, d);
    if (firstBad < 0 && !(off <= 1e-5 * Math.abs(sig[i]))) firstBad = i;
  }
  return { sig, firstBad };
}

/**
 * The random numbers that order the minibatches of a seed (sim/batches.ts): a stream of its own, so
 * minibatch runs leave the data and W0 exactly as they are.
 */
export function batchRandom(seed: number): () => number {
  return source(seed, STREAMS.batches);
}

/** Deterministic in (config, seed): the same numbers in Node and in every browser. */
export function generateDataset(cfg: Config): Dataset {
  const { d, P, m, N, Ntest, sigma0, seed } = cfg;
  // Rounded to float32 first, so the noise is orthogonal to the very w* the engine sees.
  const wStar = Float64Array.from(Float32Array.from(unitVector(d, source(seed, STREAMS.feature))));
  const initNormal = randomNormal.source(source(seed, STREAMS.init))(0, sigma0);
  return {
    d,
    P,
    m,
    wStar: Float32Array.from(wStar),
    train: makeSplit(N, cfg, wStar, source(seed, STREAMS.train)),
    test: makeSplit(Ntest, cfg, wStar, source(seed, STREAMS.test)),
    W0: Float32Array.from({ length: m * d }, initNormal),
  };
}
