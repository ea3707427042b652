/**
 * The numbers behind a figure as files: the trace as CSV (one row per logged step per run) and as
 * JSON (the configuration, every run's rows and, when small enough, the per-filter and per-example
 * detail). Pure functions of the panels' data: tested against a real run.
 */
import { type PanelData, drawnRuns } from '../../state/panel-data';
import { type RunDetail, SUMMARY_FIELDS, type TraceRow } from '../../sim/trace';

/** Every field of a trace row, in the order of the CSV columns (after `run`). */
export const TRACE_COLUMNS = [
  't',
  ...SUMMARY_FIELDS,
  'cMax',
  'rStar',
  'smallSignal',
  'smallNoise',
  'smallByFeature',
  'gLarge',
  'gSmall',
  'gStep',
] as const satisfies readonly (keyof TraceRow)[];

/** Per-example detail goes into the JSON only up to this many numbers over all runs (a few MB). */
export const DETAIL_LIMIT = 1_000_000;

/** A number as CSV writes it: shortest round-trip form; NaN and infinities spelled out. */
function cell(v: number): string {
  return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

/** The trace as CSV: a header `run,t,loss,...`, then one line per logged step per run (GD first). */
export function traceCsv(data: PanelData): string {
  const lines = [['run', ...TRACE_COLUMNS].join(',')];
  for (const run of drawnRuns(data)) {
    for (const row of data.runs[run]?.rows ?? []) lines.push([run, ...TRACE_COLUMNS.map((f) => cell(row[f]))].join(','));
  }
  return lines.join('\n') + '\n';
}

function detailSize(detail: RunDetail): number {
  return detail.c.length + detail.gLarge.length + detail.gSmall.length + detail.gStep.length + detail.signal.length + detail.noise.length;
}

/** Float32 numbers as plain JSON numbers (float32 precision, shortest form), non-finite as null. */
function list(a: Float32Array): (number | null)[] {
  return Array.from(a, (v) => (Number.isFinite(v) ? Number(v.toPrecision(8)) : null));
}

export interface TraceJson {
  format: string;
  config: PanelData['config'];
  /** The shown step when the file was made. */
  shownStep: number | null;
  /** Small-margin flags of the training examples (1: small margin). */
  small: number[];
  /** Whether `detail` is in the runs, and why not. */
  detail: string;
  runs: Record<string, { rows: TraceRow[]; detail?: Record<keyof RunDetail, (number | null)[]> }>;
  /** With S > 1 seeds: per run, the seeds summarized so far, each one's final values and their spread (the rows above are the focus seed's). */
  seeds?: { S: number; done: number; runs: Record<string, { seeds: number[]; finals: Record<string, (number | null)[]>; final: Record<string, { mean: number | null; min: number | null; max: number | null; count: number }> }> };
}

const finite = (v: number) => (Number.isFinite(v) ? v : null);

function seedsJson(seeds: NonNullable<PanelData['seeds']>): NonNullable<TraceJson['seeds']> {
  return {
    S: seeds.S,
    done: seeds.done,
    runs: Object.fromEntries(
      Object.entries(seeds.runs).map(([run, over]) => [
        run,
        {
          seeds: over!.seeds,
          finals: Object.fromEntries(Object.entries(over!.finals).map(([f, vs]) => [f, vs.map(finite)])),
          final: Object.fromEntries(Object.entries(over!.final).map(([f, sp]) => [f, { mean: finite(sp.mean), min: finite(sp.min), max: finite(sp.max), count: sp.count }])),
        },
      ]),
    ),
  };
}

/**
 * The trace as a JSON object: `{config, runs: {gd: {rows}, gdm: {rows}}}`, plus per-filter and
 * per-example detail per run when all of it together is at most `limit` numbers.
 */
export function traceJson(data: PanelData, shownStep: number | null = null, limit = DETAIL_LIMIT): TraceJson {
  const present = drawnRuns(data).filter((run) => data.runs[run]);
  const size = present.reduce((a, run) => a + detailSize(data.runs[run]!.detail), 0);
  const withDetail = size <= limit;
  const { m } = data.config;
  const N = data.small.length;
  return {
    format:
      'momentum-explainer trace: rows are the logged steps (t, loss, errors, c = max_r c_r at filter rStar, ' +
      'mean signal/noise parts of y f over small-margin examples, gradient split at rStar); non-finite numbers are null',
    config: data.config,
    shownStep,
    small: Array.from(data.small),
    detail: withDetail
      ? `included: per logged step k, c/gLarge/gSmall/gStep[k*m + r] (m = ${m}) and signal/noise[k*N + i] (N = ${N})`
      : `omitted: ${size} numbers, more than the ${limit} this file holds`,
    runs: Object.fromEntries(
      present.map((run) => {
        const { rows, detail } = data.runs[run]!;
        const out: TraceJson['runs'][string] = { rows };
        if (withDetail) {
          out.detail = {
            c: list(detail.c),
            gLarge: list(detail.gLarge),
            gSmall: list(detail.gSmall),
            gStep: list(detail.gStep),
            signal: list(detail.signal),
            noise: list(detail.noise),
          };
        }
        return [run, out];
      }),
    ),
    ...(data.seeds ? { seeds: seedsJson(data.seeds) } : {}),
  };
}

/** JSON text of traceJson: rows' NaN become null as JSON requires. */
export function traceJsonText(data: PanelData, shownStep: number | null = null, limit = DETAIL_LIMIT): string {
  return JSON.stringify(traceJson(data, shownStep, limit));
}

/** A file name for a panel's export: `momentum-race-t1500.png`, `momentum-race.webm`. */
export function exportName(panelId: string, ext: string, t: number | null = null): string {
  const safe = panelId.replace(/[^a-z0-9-]+/gi, '-');
  return `momentum-${safe}${t === null ? '' : `-t${Math.round(t)}`}.${ext}`;
}

/** Offer a file for download through an <a download> and an object URL. */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Give the browser time to start reading before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
