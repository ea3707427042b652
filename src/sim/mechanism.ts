/**
 * The causal chain of science.md, measured on a pair of runs (GD and GD+M on one data set): when the
 * large-margin examples are fitted, how much of GD+M's feature growth after that moment the
 * gradients already in its buffer account for, how much harder the small-margin examples then push,
 * the feature a small-margin example needs to be fitted by it alone, and GD's dip and climb on the
 * small-margin test examples. Every caption and scene that states the mechanism reads it from here.
 * Pure: rows and detail in, numbers out.
 */
import type { Config } from './params';
import type { RunTrace, TraceRow } from './trace';

/** The buffer's memory fades as gamma^k: after this many 1/(1 - gamma) spans less than 1 % is left (e^-5). */
const MEMORY_SPANS = 5;
/** A gradient part counts as dead below this fraction of its own peak. */
const DEAD = 0.01;

export interface Carry {
  /** The step the carry is measured from: GD+M's large-margin examples are all fitted (y f > 0). */
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
  carry: Carry | null;
  /** When each run's current large-margin push along w* falls below 1 % of its peak; null if never (yet). */
  largeDies: { gd: number | null; gdm: number | null };
  /** GD+M's small-margin push along w* over GD's, on logged rows from GD+M's fit on: least, median, largest. */
  smallPushRatio: { min: number; median: number; max: number } | null;
  /**
   * The feature c at which a typical small-margin training example is fitted by the feature alone:
   * beta^3 c^3 equal to the median |noise part| of the small-margin examples, at t0 on GD's run
   * (one filter holding c, as it does here). Null without small-margin examples or before t0.
   */
  threshold: number | null;
  /** GD's small-margin test error: its lowest point after its large-margin fit, and where it ends. */
  gdDip: { min: number; at: number; final: number } | null;
}

const fitStep = (rows: readonly TraceRow[]) => rows.find((r) => r.trainErrLarge === 0)?.t ?? null;

/** Index of the last row at or before t. */
function rowAt(rows: readonly TraceRow[], t: number): number {
  let k = -1;
  for (let i = 0; i < rows.length && rows[i].t <= t; i++) k = i;
  return k;
}

function deathStep(rows: readonly TraceRow[]): number | null {
  let peak = 0;
  for (const r of rows) {
    peak = Math.max(peak, r.gLarge);
    if (peak > 0 && r.gLarge < DEAD * peak) return r.t;
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

function thresholdOf(config: Config, gd: RunTrace, small: Uint8Array, t0: number): number | null {
  const k = rowAt(gd.rows, t0);
  if (k < 0 || config.beta <= 0) return null;
  const N = small.length;
  const noise: number[] = [];
  for (let i = 0; i < N; i++) if (small[i]) noise.push(Math.abs(gd.detail.noise[k * N + i]));
  if (!noise.length) return null;
  return Math.cbrt(median(noise) / config.beta ** 3);
}

function dipOf(gd: RunTrace, from: number): Mechanism['gdDip'] {
  const after = gd.rows.filter((r) => r.t >= from && Number.isFinite(r.testErrSmall));
  if (!after.length) return null;
  const low = after.reduce((a, b) => (b.testErrSmall < a.testErrSmall ? b : a));
  return { min: low.testErrSmall, at: low.t, final: after[after.length - 1].testErrSmall };
}

export function mechanism(config: Config, small: Uint8Array, gd: RunTrace | undefined, gdm: RunTrace | undefined): Mechanism {
  const fitted = { gd: gd ? fitStep(gd.rows) : null, gdm: gdm ? fitStep(gdm.rows) : null };
  const t0 = fitted.gdm;
  return {
    fitted,
    carry: gdm && t0 !== null ? carryOf(config, gd, gdm, t0) : null,
    largeDies: { gd: gd ? deathStep(gd.rows) : null, gdm: gdm ? deathStep(gdm.rows) : null },
    smallPushRatio: gd && gdm && t0 !== null ? ratioOf(gd, gdm, t0) : null,
    threshold: gd && t0 !== null ? thresholdOf(config, gd, small, t0) : null,
    gdDip: gd && fitted.gd !== null ? dipOf(gd, fitted.gd) : null,
  };
}
