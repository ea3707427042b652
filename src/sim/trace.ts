/**
 * What a run records, and how the engine's packed numbers become named quantities.
 *
 * At every logged step t the engine writes, per run, one flat row of `rowLayout(m, N).length`
 * float32 values describing W_t (before the step from t). This module is the single definition
 * of that row; the engine fills it, everything else reads it through `decodeRun`.
 */

export const SUMMARY_FIELDS = [
  'loss',
  'trainErr',
  'trainErrSmall',
  'trainErrLarge',
  'testErr',
  'testErrSmall',
  'testErrLarge',
] as const;
export type SummaryField = (typeof SUMMARY_FIELDS)[number];

export interface RowLayout {
  /** c_r = <w_r, w*> for every filter. */
  c: number;
  /** Minus the current gradient along w*, per filter, from the large-margin examples only. */
  gLarge: number;
  /** ... from the small-margin examples only. */
  gSmall: number;
  /** Minus the optimizer's step direction along w*, per filter: the momentum buffer (GD: the gradient). */
  gStep: number;
  /** y_i * sum_r <w_r, X_i[s]>^3 for every training example. */
  signal: number;
  /** y_i * sum_r sum_{j != s} <w_r, X_i[j]>^3 for every training example. */
  noise: number;
  length: number;
}

export function rowLayout(m: number, N: number): RowLayout {
  const c = SUMMARY_FIELDS.length;
  return { c, gLarge: c + m, gSmall: c + 2 * m, gStep: c + 3 * m, signal: c + 4 * m, noise: c + 4 * m + N, length: c + 4 * m + 2 * N };
}

/** The trace row of design.md, plus the gradient split and how the small-margin examples are fitted. */
export interface TraceRow extends Record<SummaryField, number> {
  t: number;
  /** c = max_r c_r. */
  cMax: number;
  /** The filter r* that attains cMax; the gradient split below is read at r*. */
  rStar: number;
  /** Mean over small-margin training examples of the signal part of y f. */
  smallSignal: number;
  /** Mean over small-margin training examples of the noise part of y f. */
  smallNoise: number;
  /** Fraction of small-margin training examples whose y f is carried more by signal than by noise. */
  smallByFeature: number;
  gLarge: number;
  gSmall: number;
  gStep: number;
}

/** Per-filter and per-example detail, one block per logged step (rows.length blocks). */
export interface RunDetail {
  c: Float32Array;
  gLarge: Float32Array;
  gSmall: Float32Array;
  gStep: Float32Array;
  signal: Float32Array;
  noise: Float32Array;
}

export interface RunTrace {
  rows: TraceRow[];
  detail: RunDetail;
}

/**
 * Decode one run from packed rows laid out [logged step][run][row], as the engine returns them.
 * `small` marks the small-margin training examples.
 */
export function decodeRun(
  packed: Float32Array,
  ts: readonly number[],
  run: number,
  runs: number,
  m: number,
  small: Uint8Array,
  /** False when the caller brings the small-margin means itself (the precomputed first view): they are NaN here. */
  smallMeans = true,
): RunTrace {
  const N = small.length;
  const L = rowLayout(m, N);
  const K = ts.length;
  const detail: RunDetail = {
    c: new Float32Array(K * m),
    gLarge: new Float32Array(K * m),
    gSmall: new Float32Array(K * m),
    gStep: new Float32Array(K * m),
    signal: new Float32Array(K * N),
    noise: new Float32Array(K * N),
  };
  const smallCount = small.reduce((a, s) => a + s, 0);
  const rows = ts.map((t, k) => {
    const at = (k * runs + run) * L.length;
    const row = packed.subarray(at, at + L.length);
    detail.c.set(row.subarray(L.c, L.c + m), k * m);
    detail.gLarge.set(row.subarray(L.gLarge, L.gLarge + m), k * m);
    detail.gSmall.set(row.subarray(L.gSmall, L.gSmall + m), k * m);
    detail.gStep.set(row.subarray(L.gStep, L.gStep + m), k * m);
    detail.signal.set(row.subarray(L.signal, L.signal + N), k * N);
    detail.noise.set(row.subarray(L.noise, L.noise + N), k * N);

    let rStar = 0;
    for (let r = 1; r < m; r++) if (row[L.c + r] > row[L.c + rStar]) rStar = r;
    let sig = 0;
    let noi = 0;
    let byFeature = 0;
    for (let i = 0; smallMeans && i < N; i++) {
      if (!small[i]) continue;
      sig += row[L.signal + i];
      noi += row[L.noise + i];
      if (row[L.signal + i] > row[L.noise + i]) byFeature++;
    }
    const summary = Object.fromEntries(SUMMARY_FIELDS.map((f, j) => [f, row[j]])) as Record<SummaryField, number>;
    return {
      t,
      ...summary,
      cMax: row[L.c + rStar],
      rStar,
      smallSignal: smallCount && smallMeans ? sig / smallCount : Number.NaN,
      smallNoise: smallCount && smallMeans ? noi / smallCount : Number.NaN,
      smallByFeature: smallCount && smallMeans ? byFeature / smallCount : Number.NaN,
      gLarge: row[L.gLarge + rStar],
      gSmall: row[L.gSmall + rStar],
      gStep: row[L.gStep + rStar],
    };
  });
  return { rows, detail };
}

/** The logged steps of a run of T steps: every step below `dense`, then every logEvery-th, and always T. */
export function loggedSteps(T: number, logEvery: number, dense = 0): number[] {
  const ts: number[] = [];
  dense = Math.min(T, dense);
  for (let t = 0; t < dense; t++) ts.push(t);
  for (let t = Math.ceil(dense / logEvery) * logEvery; t < T; t += logEvery) ts.push(t);
  ts.push(T);
  return ts;
}

/** The first logged step where `test` holds, else null: "when did the large-margin examples become fitted". */
export function firstStepWhere(rows: readonly TraceRow[], test: (row: TraceRow) => boolean): number | null {
  return rows.find(test)?.t ?? null;
}

/** A loss beyond this is a run blowing up, not learning: the logistic loss starts near log 2. */
export const EXPLODING_LOSS = 1e6;

/** The first logged step whose loss or feature is no longer a finite number, or whose loss exploded (eta too large), else null. */
export function divergence(rows: readonly TraceRow[]): number | null {
  const bad = rows.find((r) => !Number.isFinite(r.loss) || !Number.isFinite(r.cMax) || r.loss > EXPLODING_LOSS);
  return bad ? bad.t : null;
}
