/**
 * The phase map cut along beta at the current gamma: each run's test error against the small margin,
 * and the critical beta of each - where its error crosses half the largest possible gap (mu/4: the
 * largest gap is mu/2, every small-margin test example wrong against none). Pure: the map's trace in,
 * numbers out.
 */
import { type SweepTrace, sweepCells } from '../sim/sweep';

export interface SlicePoint {
  beta: number;
  gd: number;
  gdm: number;
}

export interface Slice {
  /** The grid's gamma the slice is taken at, and whether it is the view's own. */
  gamma: number;
  exact: boolean;
  points: SlicePoint[];
  /** mu / 4. */
  level: number;
  /** Where each run's test error crosses `level` (linear between grid values), coming down from small beta; null if it does not on the grid. */
  critical: { gd: number | null; gdm: number | null };
}

/** The first crossing of `level` from above, between grid values (betas increasing). */
export function crossing(points: readonly { beta: number; err: number }[], level: number): number | null {
  for (let k = 1; k < points.length; k++) {
    const a = points[k - 1];
    const b = points[k];
    if (a.err > level && b.err <= level) return a.beta + ((a.err - level) / (a.err - b.err)) * (b.beta - a.beta);
  }
  return null;
}

export function sliceAt(trace: SweepTrace, gamma: number, mu: number): Slice | null {
  const cells = sweepCells(trace);
  if (!cells.length || !trace.grid.gammas.length) return null;
  const g = trace.grid.gammas.reduce((best, v, k) => (Math.abs(v - gamma) < Math.abs(trace.grid.gammas[best] - gamma) ? k : best), 0);
  const points = cells.map((row) => ({ beta: row[g].beta, gd: row[g].gd.testErr, gdm: row[g].gdm.testErr }));
  const level = mu / 4;
  return {
    gamma: trace.grid.gammas[g],
    exact: Math.abs(trace.grid.gammas[g] - gamma) < 1e-9,
    points,
    level,
    critical: {
      gd: crossing(points.map((p) => ({ beta: p.beta, err: p.gd })), level),
      gdm: crossing(points.map((p) => ({ beta: p.beta, err: p.gdm })), level),
    },
  };
}

/** The slice in words, from its own numbers. */
export function sliceWords(slice: Slice): string {
  const { gd, gdm } = slice.critical;
  const at = `At γ = ${slice.gamma}${slice.exact ? '' : ' (the grid value nearest the view’s γ)'}`;
  const f = (b: number) => b.toFixed(3);
  if (gd !== null && gdm !== null) {
    return gdm < gd
      ? `${at}, GD+M generalizes down to β ≈ ${f(gdm)}, GD only down to β ≈ ${f(gd)}: momentum moves the critical margin down by ${f(gd - gdm)}.`
      : `${at}, the critical margins are β ≈ ${f(gdm)} (GD+M) and ≈ ${f(gd)} (GD): momentum does not move it down here.`;
  }
  if (gdm !== null) return `${at}, GD+M generalizes down to β ≈ ${f(gdm)}; GD's test error stays above μ/4 over the whole grid.`;
  if (gd !== null) return `${at}, GD generalizes down to β ≈ ${f(gd)}; GD+M's test error stays above μ/4 over the whole grid.`;
  return `${at}, neither run's test error crosses μ/4 on this grid.`;
}
