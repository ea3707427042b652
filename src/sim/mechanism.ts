/**
 * The causal chain of science.md, measured on a pair of runs (GD and GD+M on one data set): when the
 * large-margin examples are fitted and when their push along w* collapses, how much of GD+M's
 * feature growth after that moment the gradients already in its buffer account for, how much harder the small-margin examples then push,
 * the feature a small-margin example needs to be fitted by it alone, and GD's dip and climb on the
 * small-margin test examples. Every caption and scene that states the mechanism reads it from here.
 * Pure: rows and detail in, numbers out.
 */
import type { Config } from './params';
import type { RunTrace, TraceRow } from './trace';
import { type GrownCache, remember, reusable } from './grown';

/** The buffer's memory fades as gamma^k: after this many 1/(1 - gamma) spans less than 1 % is left (e^-5). */
const MEMORY_SPANS = 5;
/**
 * The large-margin push along w* has collapsed once it is below this fraction of its peak. y f > 0
 * ("fitted") comes much earlier: at the defaults GD+M fits every large-margin example at t = 23 with
 * c = 0.24, and their gradient keeps growing until t = 35 (c ~ 1); it collapses by t = 38.
 */
const COLLAPSED = 0.1;

export interface Carry {
  /** The step the carry is measured from: GD+M's current large-margin push along w* has collapsed. */
  t0: number;
  /** The last logged step of the window over which the buffer still remembers t0 (or the last row). */
  t1: number;
  /** The filter r* that holds c at t0. */
  r: number;
  /** The buffer's component along w* on that filter at t0 (minus its gradient direction). */
  g0: number;
  /** Growth of c_r from t0 to t1 that the gradients already in the buffer at t0 pay for: eta g0 sum_{k=1}^{t1-t0} gamma^k. */
  carried: number;
  /** Its limit, the estimate eta g0 gamma / (1 - gamma). */
  estimate: number;
  /** How much c_r grew from t0 to t1 in all. */
  growth: number;
  /** How much GD's c grew over the same steps. */
  gdGrowth: number | null;
}

export interface Mechanism {
  /** First logged step at which each run fits every large-margin training example; null if never (yet). */
  fitted: { gd: number | null; gdm: number | null };
  /** When each run's current large-margin push along w* falls below 10 % of its peak, after the peak; null if never (yet). */
  collapsed: { gd: number | null; gdm: number | null };
  carry: Carry | null;
  /** Each run's current large-margin push at the end of the carry window (t1): GD+M fits those examples harder. */
  largeAtT1: { t: number; gd: number; gdm: number } | null;
  /** GD+M's small-margin push along w* over GD's, on logged rows from GD+M's collapse on: least, median, largest. */
  smallPushRatio: { min: number; median: number; max: number } | null;
  /** Each run's feature c and the threshold c* its small-margin examples set (thresholdSeries) at its last row. */
  finalThreshold: { gd: { c: number; threshold: number } | null; gdm: { c: number; threshold: number } | null };
  /** GD's small-margin test error: its lowest point after its large-margin push collapsed, and where it ends. */
  gdDip: { min: number; at: number; final: number } | null;
}

const fitStep = (rows: readonly TraceRow[]) => rows.find((r) => r.trainErrLarge === 0)?.t ?? null;

/** Index of the last row at or before t. */
function rowAt(rows: readonly TraceRow[], t: number): number {
  let k = -1;
  for (let i = 0; i < rows.length && rows[i].t <= t; i++) k = i;
  return k;
}

function collapseStep(rows: readonly TraceRow[]): number | null {
  let peak = 0;
  for (const r of rows) {
    peak = Math.max(peak, r.gLarge);
    if (peak > 0 && r.gLarge < COLLAPSED * peak) return r.t;
  }
  return null;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** The c of filter r at row k of a trace with m filters. */
const cOf = (trace: RunTrace, m: number, k: number, r: number) => trace.detail.c[k * m + r];

function carryOf(config: Config, gd: RunTrace | undefined, gdm: RunTrace, t0: number): Carry | null {
  const { m, eta, gamma, T } = config;
  const k0 = rowAt(gdm.rows, t0);
  if (k0 < 0 || gdm.rows[k0].t !== t0) return null;
  const span = gamma > 0 ? Math.ceil(MEMORY_SPANS / (1 - gamma)) : 1;
  const k1 = rowAt(gdm.rows, Math.min(T, t0 + span));
  if (k1 <= k0) return null;
  const t1 = gdm.rows[k1].t;
  const r = gdm.rows[k0].rStar;
  const g0 = gdm.rows[k0].gStep;
  // The buffer is linear in the gradients it was fed: at step t0 + k the part fed up to t0 is gamma^k of it.
  let geometric = 0;
  for (let k = 1, p = gamma; k <= t1 - t0; k++, p *= gamma) geometric += p;
  const gdK0 = gd ? rowAt(gd.rows, t0) : -1;
  const gdK1 = gd ? rowAt(gd.rows, t1) : -1;
  return {
    t0,
    t1,
    r,
    g0,
    carried: eta * g0 * geometric,
    estimate: gamma < 1 ? (eta * g0 * gamma) / (1 - gamma) : Number.POSITIVE_INFINITY,
    growth: cOf(gdm, m, k1, r) - cOf(gdm, m, k0, r),
    gdGrowth: gd && gdK0 >= 0 && gdK1 > gdK0 ? gd.rows[gdK1].cMax - gd.rows[gdK0].cMax : null,
  };
}

function ratioOf(gd: RunTrace, gdm: RunTrace, from: number): Mechanism['smallPushRatio'] {
  const ratios: number[] = [];
  for (const row of gdm.rows) {
    if (row.t < from) continue;
    const k = rowAt(gd.rows, row.t);
    if (k < 0 || gd.rows[k].t !== row.t) continue;
    const a = row.gSmall;
    const b = gd.rows[k].gSmall;
    if (a > 0 && b > 0 && Number.isFinite(a / b)) ratios.push(a / b);
  }
  return ratios.length ? { min: Math.min(...ratios), median: median(ratios), max: Math.max(...ratios) } : null;
}

const thresholds = new WeakMap<RunTrace, { small: Uint8Array; beta: number; out: (number | null)[] }>();
/** The rows computed for an earlier, shorter view of the same noise buffer (a streaming run). */
const grownThresholds: GrownCache<(number | null)[]> = new WeakMap();

/**
 * Per logged row: the feature c* at which beta^3 c^3 - the signal part of a small-margin example
 * when one filter holds c, as it does here - equals the median |noise part| of the small-margin
 * training examples. Above it the feature carries the typical small-margin example; below it
 * its noise does. Memorized noise grows, so c* rises where a run memorizes. Null where there are
 * no small-margin examples or beta is 0. Computed once per trace, and while a run streams in once
 * per new row (sim/grown.ts).
 */
export function thresholdSeries(trace: RunTrace, small: Uint8Array, beta: number): (number | null)[] {
  const known = thresholds.get(trace);
  if (known && known.small === small && known.beta === beta && known.out.length === trace.rows.length) return known.out;
  const N = small.length;
  const { noise: detail } = trace.detail;
  const key = [small, beta];
  const earlier = reusable(grownThresholds, detail, key);
  const at = (k: number) => {
    if (beta <= 0) return null;
    const noise: number[] = [];
    for (let i = 0; i < N; i++) if (small[i]) noise.push(Math.abs(detail[k * N + i]));
    return noise.length ? Math.cbrt(median(noise) / beta ** 3) : null;
  };
  const reuse = Math.min(earlier.rows, trace.rows.length);
  const out = trace.rows.map((_, k) => (k < reuse ? earlier.out![k] : at(k)));
  thresholds.set(trace, { small, beta, out });
  // Only rows whose whole block is in this view are final; a row past it is recomputed next time.
  remember(grownThresholds, detail, key, Math.min(out.length, N > 0 ? Math.floor(detail.length / N) : 0), out);
  return out;
}

function finalThresholdOf(trace: RunTrace | undefined, small: Uint8Array, beta: number) {
  const last = trace?.rows.at(-1);
  const threshold = trace ? thresholdSeries(trace, small, beta).at(-1) : null;
  return last && threshold !== null && threshold !== undefined ? { c: last.cMax, threshold } : null;
}

function dipOf(gd: RunTrace, from: number): Mechanism['gdDip'] {
  const after = gd.rows.filter((r) => r.t >= from && Number.isFinite(r.testErrSmall));
  if (!after.length) return null;
  const low = after.reduce((a, b) => (b.testErrSmall < a.testErrSmall ? b : a));
  return { min: low.testErrSmall, at: low.t, final: after[after.length - 1].testErrSmall };
}

function largeAt(gd: RunTrace | undefined, gdm: RunTrace | undefined, t: number | null): Mechanism['largeAtT1'] {
  if (!gd || !gdm || t === null) return null;
  const a = gd.rows[rowAt(gd.rows, t)];
  const b = gdm.rows[rowAt(gdm.rows, t)];
  return a && b && a.t === t && b.t === t ? { t, gd: a.gLarge, gdm: b.gLarge } : null;
}

export function mechanism(config: Config, small: Uint8Array, gd: RunTrace | undefined, gdm: RunTrace | undefined): Mechanism {
  const fitted = { gd: gd ? fitStep(gd.rows) : null, gdm: gdm ? fitStep(gdm.rows) : null };
  const collapsed = { gd: gd ? collapseStep(gd.rows) : null, gdm: gdm ? collapseStep(gdm.rows) : null };
  const t0 = collapsed.gdm;
  const carry = gdm && t0 !== null ? carryOf(config, gd, gdm, t0) : null;
  return {
    fitted,
    collapsed,
    carry,
    largeAtT1: largeAt(gd, gdm, carry?.t1 ?? null),
    smallPushRatio: gd && gdm && t0 !== null ? ratioOf(gd, gdm, t0) : null,
    finalThreshold: { gd: finalThresholdOf(gd, small, config.beta), gdm: finalThresholdOf(gdm, small, config.beta) },
    gdDip: gd && collapsed.gd !== null ? dipOf(gd, collapsed.gd) : null,
  };
}
