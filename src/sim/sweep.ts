/**
 * The phase diagram: a grid over (gamma, beta) with every other parameter from the current view.
 * Pure definitions shared by the engine (which trains it), the worker, the page and the CLI.
 *
 * Per beta, one data set (the same seed: only the small margin differs) and one GD run (GD does not
 * depend on gamma); per (gamma, beta), one GD+M run. Runs are laid out beta-major:
 * run k of data set b is GD for k = 0 and GD+M at gammas[k - 1] otherwise. With S seeds
 * (base.seeds) the whole layout repeats seed by seed (seed-major: seed, seed + 1, ...), and a cell is
 * the mean over its S seeds.
 */
import { type Config, type ParamKey, PARAM_KEYS } from './params';
import { loggedSteps } from './trace';

export interface SweepGrid {
  /** Momentum values, increasing (columns of the map). */
  gammas: number[];
  /** Small margins, increasing (rows of the map). */
  betas: number[];
}

/**
 * The default grid: gamma from mild to long memory, beta across the window where the two optimizers
 * part (at the defaults both memorize below ~0.06 and both learn the feature above ~0.14).
 */
export const DEFAULT_GRID: SweepGrid = {
  gammas: [0.5, 0.7, 0.8, 0.9, 0.95, 0.99],
  betas: [0.06, 0.08, 0.1, 0.12, 0.14],
};

/** What each cell records at each logged step, per run. */
export const SWEEP_FIELDS = ['trainErr', 'testErr', 'testErrSmall', 'testErrLarge', 'cMax'] as const;
export type SweepField = (typeof SWEEP_FIELDS)[number];
export type SweepMetrics = Record<SweepField, number>;

/** Logged steps of a sweep: often enough for a progressive map, rarely enough to cost nothing. */
export function loggedSweepSteps(T: number): number[] {
  return loggedSteps(T, Math.max(1, Math.ceil(T / 30)), 0);
}

/** Runs per data set: GD, then GD+M at each gamma. */
export const runsPerBeta = (grid: SweepGrid) => 1 + grid.gammas.length;
/** Runs of one seed's map, times `seeds`. */
export const sweepRunCount = (grid: SweepGrid, seeds = 1) => seeds * grid.betas.length * runsPerBeta(grid);
/** The seeds a map averages over (a file written before seeds existed: 1). */
export const sweepSeeds = (trace: Pick<SweepTrace, 'base'>) => trace.base.seeds ?? 1;

/** Index of a run in the beta-major layout; gammaIndex null is GD. */
export function sweepRunIndex(grid: SweepGrid, betaIndex: number, gammaIndex: number | null): number {
  return betaIndex * runsPerBeta(grid) + (gammaIndex === null ? 0 : 1 + gammaIndex);
}

/** The grid's axes do not depend on these two; everything else does. */
const AXES: readonly ParamKey[] = ['gamma', 'beta'];

/** Identifies the map a configuration belongs to: every parameter except gamma and beta. */
export function sweepKey(config: Config): string {
  return JSON.stringify(PARAM_KEYS.filter((k) => !AXES.includes(k)).map((k) => config[k]));
}

/** The configuration of one cell. */
export function cellConfig(base: Config, gamma: number, beta: number): Config {
  return { ...base, gamma, beta };
}

/**
 * A computed map (possibly partial): for each logged step, per run (beta-major layout) the
 * SWEEP_FIELDS. `rows` holds ts.length x runCount x SWEEP_FIELDS.length floats.
 */
export interface SweepTrace {
  grid: SweepGrid;
  /** The parameters other than gamma and beta (gamma and beta as in the view that asked). */
  base: Config;
  ts: number[];
  rows: Float32Array;
}

export interface SweepCell {
  gamma: number;
  beta: number;
  /** Means over the seeds. */
  gd: SweepMetrics;
  gdm: SweepMetrics;
  /** GD's test error minus GD+M's (mean over the seeds): positive where momentum generalizes better. */
  gap: number;
  /** How many seeds the cell averages. */
  seeds: number;
  /**
   * Seeds on which the gap exceeds mu / 4: half the largest possible gap, mu / 2 (GD at chance on
   * the small-margin examples, a fraction mu of the test set, and GD+M right on all of them).
   */
  seedsWithGap: number;
}

function metricsAt(trace: SweepTrace, step: number, run: number): SweepMetrics {
  const R = sweepRunCount(trace.grid, sweepSeeds(trace));
  const F = SWEEP_FIELDS.length;
  const at = (step * R + run) * F;
  return Object.fromEntries(SWEEP_FIELDS.map((f, i) => [f, trace.rows[at + i]])) as SweepMetrics;
}

function meanMetrics(all: readonly SweepMetrics[]): SweepMetrics {
  return Object.fromEntries(SWEEP_FIELDS.map((f) => [f, all.reduce((s, m) => s + m[f], 0) / all.length])) as SweepMetrics;
}

/** Every cell at logged step index `step` (default: the latest), rows by beta, columns by gamma. */
export function sweepCells(trace: SweepTrace, step = trace.ts.length - 1): SweepCell[][] {
  if (step < 0 || step >= trace.ts.length) return [];
  const { grid } = trace;
  const S = sweepSeeds(trace);
  const perSeed = sweepRunCount(grid);
  const seeds = Array.from({ length: S }, (_, s) => s * perSeed);
  const half = trace.base.mu / 4;
  return grid.betas.map((beta, b) => {
    const gds = seeds.map((at) => metricsAt(trace, step, at + sweepRunIndex(grid, b, null)));
    return grid.gammas.map((gamma, g) => {
      const gdms = seeds.map((at) => metricsAt(trace, step, at + sweepRunIndex(grid, b, g)));
      const gd = meanMetrics(gds);
      const gdm = meanMetrics(gdms);
      const seedsWithGap = gds.filter((x, s) => x.testErr - gdms[s].testErr > half).length;
      return { gamma, beta, gd, gdm, gap: gd.testErr - gdm.testErr, seeds: S, seedsWithGap };
    });
  });
}

/** Rows [logged step][run][field] appended (a sweep streams them in chunks). */
export function appendSweepRows(trace: SweepTrace, ts: readonly number[], rows: Float32Array): SweepTrace {
  const joined = new Float32Array(trace.rows.length + rows.length);
  joined.set(trace.rows);
  joined.set(rows, trace.rows.length);
  return { ...trace, ts: [...trace.ts, ...ts], rows: joined };
}

/** A grid that can be trained: non-empty, increasing, every value inside its parameter's bounds. */
export function checkGrid(grid: SweepGrid, bounds: { gamma: [number, number]; beta: [number, number] }): string | null {
  for (const [name, values, [lo, hi]] of [
    ['gamma', grid.gammas, bounds.gamma],
    ['beta', grid.betas, bounds.beta],
  ] as const) {
    if (!values.length || values.length > 12) return `the ${name} axis needs 1 to 12 values`;
    if (values.some((v, i) => !Number.isFinite(v) || v < lo || v > hi || (i > 0 && v <= values[i - 1]))) {
      return `the ${name} values must increase and lie in [${lo}, ${hi}]`;
    }
  }
  return null;
}

/** What a map says in words: where momentum wins by more than `threshold` (test error points). */
export interface MapSummary {
  cells: number;
  helped: number;
  /** Per beta (increasing): the smallest gamma of the grid where GD+M wins there, or null. */
  minGamma: { beta: number; gamma: number | null }[];
}

export function summarizeMap(cells: readonly (readonly SweepCell[])[], threshold = 0.05): MapSummary {
  const wins = (c: SweepCell) => c.gap > threshold;
  return {
    cells: cells.flat().length,
    helped: cells.flat().filter(wins).length,
    minGamma: cells.map((row) => ({ beta: row[0]?.beta, gamma: row.find(wins)?.gamma ?? null })),
  };
}
