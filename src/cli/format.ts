/**
 * The CLI's output: JSON {config, backend, lineup, runs: {gd: {final, divergedAt, trace[, detail]}, ...},
 * seeds: [{seed, runs: {gd: {final, divergedAt}, ...}}, ...], summary: {gd: {label, arg, testErr: {mean,
 * min, max, count}, ...}}} (runs: the focus seed) or CSV (one line per run, seed and logged step).
 * Both are produced as text chunks, one trace row per line, so a long run never has to exist as one string.
 */
import type { RunResult } from '../engine/experiment';
import { type Lineup, type RunName, choiceArg, runLabel } from '../sim/runs';
import type { Config } from '../sim/params';
import { type Spread, spread } from '../sim/seeds';
import type { RunDetail, TraceRow } from '../sim/trace';
import { f32 } from './dump';

export interface SeedResult {
  seed: number;
  runs: Partial<Record<RunName, RunResult>>;
}

export interface SimOutput {
  config: Config;
  backend: string;
  lineup: Lineup;
  /** Every seed, the focus seed (config.seed) first. */
  seeds: SeedResult[];
}

/** Final values summarized over seeds, per run of the lineup. */
export const SUMMARY_COLUMNS = ['testErr', 'testErrSmall', 'testErrLarge', 'trainErr', 'cMax'] as const;

export interface RunSummary extends Record<(typeof SUMMARY_COLUMNS)[number], Spread> {
  label: string;
  /** K, eta' or b; null for gd and gdm. */
  arg: number | null;
  seeds: number;
  /** Seeds on which the run diverged (their values are left out of the spreads). */
  diverged: number;
}

export function summarize(out: SimOutput): Partial<Record<RunName, RunSummary>> {
  return Object.fromEntries(
    out.lineup.map((choice) => {
      const results = out.seeds.map((s) => s.runs[choice.id]!);
      const finals = results.filter((r) => r.divergedAt === null).map((r) => r.rows.at(-1)!);
      const arg = choiceArg(choice);
      const columns = Object.fromEntries(SUMMARY_COLUMNS.map((f) => [f, spread(finals.map((row) => row[f]))]));
      return [choice.id, { label: runLabel(choice.id), arg: Number.isNaN(arg) ? null : arg, seeds: results.length, diverged: results.length - finals.length, ...columns }];
    }),
  );
}

/** Every TraceRow field, in the order JSON rows and CSV columns use (the compiler checks it is complete). */
const COLUMN_SET: Record<keyof TraceRow, true> = {
  t: true,
  loss: true,
  trainErr: true,
  trainErrSmall: true,
  trainErrLarge: true,
  testErr: true,
  testErrSmall: true,
  testErrLarge: true,
  cMax: true,
  rStar: true,
  smallSignal: true,
  smallNoise: true,
  smallByFeature: true,
  gLarge: true,
  gSmall: true,
  gStep: true,
};
export const TRACE_COLUMNS = Object.keys(COLUMN_SET) as (keyof TraceRow)[];

function ordered(row: TraceRow): TraceRow {
  return Object.fromEntries(TRACE_COLUMNS.map((k) => [k, row[k]])) as unknown as TraceRow;
}

/** Per logged step, one plain array per filter quantity (m values) and per example quantity (N values). */
function detailJson(detail: RunDetail, steps: number): Record<keyof RunDetail, number[][]> {
  const blocks = (a: Float32Array) => {
    const width = a.length / steps;
    return Array.from({ length: steps }, (_, k) => Array.from(a.subarray(k * width, (k + 1) * width), f32));
  };
  return {
    c: blocks(detail.c),
    gLarge: blocks(detail.gLarge),
    gSmall: blocks(detail.gSmall),
    gStep: blocks(detail.gStep),
    signal: blocks(detail.signal),
    noise: blocks(detail.noise),
  };
}

/** JSON output. JSON.stringify writes NaN and +-Infinity (a diverged run) as null. */
export function* jsonChunks(out: SimOutput, withDetail: boolean): Generator<string> {
  const focus = out.seeds[0];
  const lineup = out.lineup.map((c) => ({ id: c.id, arg: Number.isNaN(choiceArg(c)) ? null : choiceArg(c) }));
  yield `{"config":${JSON.stringify(out.config)},\n"backend":${JSON.stringify(out.backend)},\n"lineup":${JSON.stringify(lineup)},\n"runs":{`;
  for (const [n, { id: name }] of out.lineup.entries()) {
    const run = focus.runs[name]!;
    const last = run.rows[run.rows.length - 1];
    yield `${n ? ',' : ''}\n${JSON.stringify(name)}:{"final":${JSON.stringify(last ? ordered(last) : null)},\n"divergedAt":${JSON.stringify(run.divergedAt)},\n"trace":[`;
    for (const [k, row] of run.rows.entries()) yield `${k ? ',' : ''}\n${JSON.stringify(ordered(row))}`;
    yield ']';
    if (withDetail) {
      const detail = detailJson(run.detail, run.rows.length);
      yield ',\n"detail":{';
      for (const [j, key] of (Object.keys(detail) as (keyof RunDetail)[]).entries()) {
        yield `${j ? ',' : ''}\n${JSON.stringify(key)}:[`;
        for (const [k, block] of detail[key].entries()) yield `${k ? ',' : ''}\n${JSON.stringify(block)}`;
        yield ']';
      }
      yield '}';
    }
    yield '}';
  }
  yield '},\n"seeds":[';
  for (const [k, s] of out.seeds.entries()) {
    const runs = Object.fromEntries(out.lineup.map(({ id }) => {
      const run = s.runs[id]!;
      const last = run.rows.at(-1);
      return [id, { final: last ? ordered(last) : null, divergedAt: run.divergedAt }];
    }));
    yield `${k ? ',' : ''}\n${JSON.stringify({ seed: s.seed, runs })}`;
  }
  yield `],\n"summary":${JSON.stringify(summarize(out))}}\n`;
}

/** A CSV cell: shortest round-trip decimal; NaN as NaN, infinities as inf and -inf (numpy, pandas and R read them). */
function cell(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return String(x);
}

/**
 * CSV output: header `run,arg,seed,t,loss,...`, then one line per run, seed and logged step: run by
 * run in lineup order, within a run seed by seed (the focus seed first), within a seed step by step.
 * `arg` is the run's K, eta' or b (empty for gd and gdm).
 */
export function* csvChunks(out: SimOutput): Generator<string> {
  yield `${['run', 'arg', 'seed', ...TRACE_COLUMNS].join(',')}\n`;
  for (const choice of out.lineup) {
    const arg = choiceArg(choice);
    for (const s of out.seeds) {
      for (const row of s.runs[choice.id]!.rows) yield `${[choice.id, Number.isNaN(arg) ? '' : arg, s.seed, ...TRACE_COLUMNS.map((k) => cell(row[k]))].join(',')}\n`;
    }
  }
}
