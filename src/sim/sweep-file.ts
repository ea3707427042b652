/**
 * The default map computed at build time (public/precomputed/phase.json): the SweepTrace of the
 * default grid at the default parameters, as plain JSON (a few thousand numbers). Pure.
 */
import { type Config, PARAM_KEYS } from './params';
import { SWEEP_FIELDS, type SweepCell, type SweepGrid, type SweepTrace, sweepCells, sweepRunCount } from './sweep';

export const SWEEP_FILE = 'phase.json';
export const SWEEP_FORMAT = 1;

export interface SweepFile {
  format: typeof SWEEP_FORMAT;
  base: Config;
  grid: SweepGrid;
  fields: readonly string[];
  ts: number[];
  /** ts.length x runs x fields values. */
  rows: number[];
  engine: { backend: string; tfjs: string; runtime: string };
  /** Wall time of the computation in Node (ms). */
  ms: number;
  date: string;
}

export function encodeSweep(trace: SweepTrace, engine: SweepFile['engine'], ms: number): SweepFile {
  return { format: SWEEP_FORMAT, base: trace.base, grid: trace.grid, fields: SWEEP_FIELDS, ts: trace.ts, rows: Array.from(trace.rows), engine, ms, date: new Date().toISOString() };
}

const numbers = (x: unknown): x is number[] => Array.isArray(x) && x.every((v) => typeof v === 'number' || v === null);

/** A SweepTrace from a parsed file, or null when it is not one this page can read. */
export function decodeSweep(file: unknown): SweepTrace | null {
  const f = file as Partial<SweepFile> | null;
  if (!f || f.format !== SWEEP_FORMAT || !f.base || !f.grid || !numbers(f.grid.gammas) || !numbers(f.grid.betas)) return null;
  if (!numbers(f.ts) || !numbers(f.rows) || JSON.stringify(f.fields) !== JSON.stringify(SWEEP_FIELDS)) return null;
  if (!PARAM_KEYS.every((k) => k in f.base!)) return null;
  if (f.rows.length !== f.ts.length * sweepRunCount(f.grid, f.base.seeds ?? 1) * SWEEP_FIELDS.length) return null;
  // JSON writes NaN (a diverged cell) as null.
  return { grid: f.grid, base: f.base, ts: f.ts, rows: Float32Array.from(f.rows, (v) => (v === null ? Number.NaN : v)) };
}

/** A map's cells as CSV: one line per cell, gamma, beta, every field of GD and of GD+M (means over seeds), the gap, the seeds and how many show the gap. */
export function mapCsv(cells: readonly SweepCell[]): string {
  const header = ['gamma', 'beta', ...SWEEP_FIELDS.map((f) => `gd_${f}`), ...SWEEP_FIELDS.map((f) => `gdm_${f}`), 'gap', 'seeds', 'seedsWithGap'];
  const lines = cells.map((c) => [c.gamma, c.beta, ...SWEEP_FIELDS.map((f) => c.gd[f]), ...SWEEP_FIELDS.map((f) => c.gdm[f]), c.gap, c.seeds, c.seedsWithGap].join(','));
  return `${header.join(',')}\n${lines.join('\n')}\n`;
}

/** A map as JSON for an export: its parameters, grid, the step its cells are at, and the cells. */
export function mapJson(trace: SweepTrace, how: string): string {
  const t = trace.ts.at(-1) ?? null;
  return `${JSON.stringify({ config: trace.base, grid: trace.grid, how, t, cells: sweepCells(trace).flat() }, null, 1)}\n`;
}
