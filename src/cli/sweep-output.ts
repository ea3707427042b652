/**
 * `npm run sim -- --sweep`: the phase map's numbers (the page's phase figure), headless. The same
 * SweepTrainer as the page's sweep worker, on the grid the page uses.
 */
import { blockRows, runSweepSync } from '../engine/sweep';
import type { Config } from '../sim/params';
import { DEFAULT_GRID, type SweepCell, sweepCells, sweepRunCount } from '../sim/sweep';
import { mapCsv } from '../sim/sweep-file';

export interface SweepOutput {
  config: Config;
  grid: typeof DEFAULT_GRID;
  backend: string;
  /** Wall time of the training (ms). */
  ms: number;
  /** Every cell after T steps, rows by beta (increasing), columns by gamma. JSON writes NaN as null. */
  cells: SweepCell[];
}

export function computeSweepOutput(config: Config, backend: string): SweepOutput {
  const start = performance.now();
  const trace = runSweepSync(config, DEFAULT_GRID, { blockRows: blockRows(backend, config.m, config.P, config.N, config.Ntest) });
  return { config, grid: DEFAULT_GRID, backend, ms: performance.now() - start, cells: sweepCells(trace).flat() };
}

export function sweepJson(out: SweepOutput): string {
  return `${JSON.stringify(out, null, 1)}\n`;
}

/** One line per cell: gamma, beta, then every field of GD and of GD+M, then the gap. */
export function sweepCsv(out: SweepOutput): string {
  return mapCsv(out.cells);
}

export function sweepSummary(out: SweepOutput): string {
  const runs = sweepRunCount(out.grid, out.config.seeds);
  const won = out.cells.filter((c) => c.gap > 0.05).length;
  return (
    `sim: sweep of ${out.cells.length} cells (${runs} runs) on ${out.backend} in ${(out.ms / 1000).toFixed(2)} s, T=${out.config.T}: ` +
    `GD+M beats GD by more than 5 points of test error in ${won} cells` +
    (out.config.seeds > 1 ? ` (means over ${out.config.seeds} seeds from seed ${out.config.seed})` : '') +
    '\n'
  );
}
