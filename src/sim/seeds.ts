/**
 * Results over seeds: S consecutive seeds from `seed`, each its own data set and W0 (and minibatch
 * order). The focus seed (= config.seed) is shown in full; the others are summarized: per logged
 * step and run, SEED_FIELDS only, and over seeds the mean and range of each final value. Pure.
 */
import type { Config } from './params';
import { SUMMARY_FIELDS, rowLayout } from './trace';

/** What a seed other than the focus seed records per logged step and run. */
export const SEED_FIELDS = ['loss', 'trainErr', 'testErr', 'testErrSmall', 'testErrLarge', 'cMax'] as const;
export type SeedField = (typeof SEED_FIELDS)[number];

/** The seeds of a configuration, focus seed first: seed, seed + 1, ..., seed + seeds - 1. */
export function seedList(config: Pick<Config, 'seed' | 'seeds'>): number[] {
  return Array.from({ length: config.seeds }, (_, s) => config.seed + s);
}

/**
 * The SEED_FIELDS of every row of one run (rows of rowLayout(m, N).length values, one per logged
 * step, as a snapshot carries them) -> rows.length / L rows of SEED_FIELDS.length values.
 */
export function seedRows(rows: Float32Array, m: number, N: number): Float32Array {
  const L = rowLayout(m, N);
  const K = rows.length / L.length;
  const out = new Float32Array(K * SEED_FIELDS.length);
  for (let s = 0; s < K; s++) {
    const row = rows.subarray(s * L.length, (s + 1) * L.length);
    SEED_FIELDS.forEach((f, j) => {
      let v: number;
      if (f === 'cMax') {
        v = -Infinity;
        // NaN-propagating max: a diverged run's feature is NaN, not its largest finite filter
        for (let r = 0; r < m; r++) v = Number.isNaN(row[L.c + r]) || Number.isNaN(v) ? Number.NaN : Math.max(v, row[L.c + r]);
      } else {
        v = row[SUMMARY_FIELDS.indexOf(f)];
      }
      out[s * SEED_FIELDS.length + j] = v;
    });
  }
  return out;
}

/** One field of the last row of seed rows (NaN when there is none). */
export function finalSeedValue(rows: Float32Array, field: SeedField): number {
  const F = SEED_FIELDS.length;
  if (rows.length < F) return Number.NaN;
  return rows[rows.length - F + SEED_FIELDS.indexOf(field)];
}

export interface Spread {
  mean: number;
  min: number;
  max: number;
  /** How many values were finite (a diverged seed's are not: they are left out of the statistics). */
  count: number;
}

/** Mean, min and max of the finite values; NaN for all three when there is none. */
export function spread(values: readonly number[]): Spread {
  return spreadOf(values.length, (i) => values[i]);
}

/**
 * spread() of value(0), ..., value(count - 1), without an array of them: the seeds' bands take one
 * per logged step on the page's first view, in cold code, where the arrays cost ~50 ms at a
 * phone's speed.
 */
function spreadOf(count: number, value: (i: number) => number): Spread {
  let [sum, finite, min, max] = [0, 0, Infinity, -Infinity];
  for (let i = 0; i < count; i++) {
    const v = value(i);
    if (!Number.isFinite(v)) continue;
    sum += v;
    finite++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!finite) return { mean: Number.NaN, min: Number.NaN, max: Number.NaN, count: 0 };
  return { mean: sum / finite, min, max, count: finite };
}

/** One seed's SEED_FIELDS rows per run (the worker's SeedMessage, or the precomputed file's). */
export interface SeedSummary {
  seed: number;
  /** Logged steps; the same for every seed of one configuration. */
  ts: number[];
  /** Per run: ts.length rows of SEED_FIELDS values. */
  summary: Partial<Record<string, Float32Array>>;
}

/** A run over the seeds done so far: each seed's final values, and min / mean / max per logged step. */
export interface RunOverSeeds {
  /** The seeds that have this run, ascending. */
  seeds: number[];
  /** Spread of each field's final value over those seeds. */
  final: Record<SeedField, Spread>;
  /** Per seed (same order as seeds): each field's final value. */
  finals: Record<SeedField, number[]>;
  /** Per logged step: the steps, and for each field the min, mean and max over the seeds (finite values only). */
  ts: number[];
  band: Record<SeedField, { min: Float64Array; mean: Float64Array; max: Float64Array }>;
}

/** A run's numbers over the seeds summarized so far; null when no seed has it. */
export function runOverSeeds(summaries: readonly SeedSummary[], run: string): RunOverSeeds | null {
  const have = summaries.filter((s) => (s.summary[run]?.length ?? 0) > 0).sort((a, b) => a.seed - b.seed);
  if (!have.length) return null;
  const F = SEED_FIELDS.length;
  const ts = have[0].ts;
  const K = Math.min(...have.map((s) => s.summary[run]!.length / F), ts.length);
  const finals = Object.fromEntries(SEED_FIELDS.map((f) => [f, have.map((s) => finalSeedValue(s.summary[run]!, f))])) as Record<SeedField, number[]>;
  const final = Object.fromEntries(SEED_FIELDS.map((f) => [f, spread(finals[f])])) as Record<SeedField, Spread>;
  const band = Object.fromEntries(
    SEED_FIELDS.map((f, j) => {
      const min = new Float64Array(K).fill(Number.NaN);
      const mean = new Float64Array(K).fill(Number.NaN);
      const max = new Float64Array(K).fill(Number.NaN);
      const rows = have.map((h) => h.summary[run]!);
      for (let k = 0; k < K; k++) {
        const s = spreadOf(rows.length, (i) => rows[i][k * F + j]);
        [min[k], mean[k], max[k]] = [s.min, s.mean, s.max];
      }
      return [f, { min, mean, max }];
    }),
  ) as RunOverSeeds['band'];
  return { seeds: have.map((s) => s.seed), final, finals, ts: ts.slice(0, K), band };
}

/** Whether GD+M's final test error is lower than GD's by more than `by`, seed by seed, over the seeds both have. */
export function seedsWhere(summaries: readonly SeedSummary[], better: string, worse: string, by = 0): { count: number; of: number } {
  let count = 0;
  let of = 0;
  for (const s of summaries) {
    const a = s.summary[better];
    const b = s.summary[worse];
    if (!a?.length || !b?.length) continue;
    const x = finalSeedValue(a, 'testErr');
    const y = finalSeedValue(b, 'testErr');
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    of++;
    if (y - x > by) count++;
  }
  return { count, of };
}
