/**
 * The CLI's output: JSON {config, backend, runs: {gd: {final, divergedAt, trace[, detail]}, gdm: ...}}
 * or CSV (one line per run and logged step). Both are produced as text chunks, one trace row per line,
 * so a long run never has to exist as one string.
 */
import type { RunResult } from '../engine/experiment';
import { PAIR, type RunName } from '../sim/runs';
import type { Config } from '../sim/params';
import type { RunDetail, TraceRow } from '../sim/trace';
import { f32 } from './dump';


export interface SimOutput {
  config: Config;
  backend: string;
  runs: Record<RunName, RunResult>;
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
  yield `{"config":${JSON.stringify(out.config)},\n"backend":${JSON.stringify(out.backend)},\n"runs":{`;
  for (const [n, name] of PAIR.entries()) {
    const run = out.runs[name];
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
  yield '}}\n';
}

/** A CSV cell: shortest round-trip decimal; NaN as NaN, infinities as inf and -inf (numpy, pandas and R read them). */
function cell(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return String(x);
}

/** CSV output: header `run,t,loss,...`, then one line per run and logged step (all gd rows, then all gdm rows). */
export function* csvChunks(out: SimOutput): Generator<string> {
  yield `${['run', ...TRACE_COLUMNS].join(',')}\n`;
  for (const name of PAIR) {
    for (const row of out.runs[name].rows) yield `${[name, ...TRACE_COLUMNS.map((k) => cell(row[k]))].join(',')}\n`;
  }
}
