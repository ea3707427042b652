/**
 * Bounds on combinations of parameters. PARAMS bounds each key alone, but the sizes multiply: at
 * every key's maximum (d = 200, P = 10, N = 2000, Ntest = 10000, m = 64) the inputs alone are
 * 24 million numbers and `npm run sim` peaks at about 740 MB (measured); a browser tab, which also
 * holds the backend's copy of the data and the page, can be killed for less, on a phone much less.
 *
 * - Data: (N + Ntest)·P·d ≤ 5,000,000 numbers (20 MB as float32 per copy; the worker holds the
 *   arrays and the backend's tensors). Any one size at its maximum with the others at their
 *   defaults fits (d = 200 with P = 10 is exactly 5,000,000), and so do four times the default
 *   sizes (N = 2000, Ntest = 8000). The CLI peaks at about 240 MB at this bound (measured).
 * - Work: N·P·d·m ≤ 32,000,000 multiply-adds per training step (the filters against every patch
 *   of the training set, for each run, forward and again backward). At the bound a step of both runs takes about 26 ms
 *   on wasm (measured, d = 200, m = 64 at the default N and P): slow runs, not a stuck tab. The test set's forward
 *   pass at a logged step is bounded by the data bound times m.
 */
import { type Config, type NumericParamSpec, paramSpec } from './params';
import type { ParamIssue } from './validate';

export const DATA_BUDGET = 5_000_000;
export const WORK_BUDGET = 32_000_000;

type Sizes = Pick<Config, 'N' | 'Ntest' | 'P' | 'd' | 'm'>;

export const dataSize = (c: Sizes): number => (c.N + c.Ntest) * c.P * c.d;
export const stepWork = (c: Sizes): number => c.N * c.P * c.d * c.m;

const fmt = (x: number): string => x.toLocaleString('en-US');

/** The bounds' names, as the key of their issues and notes (a formula reads better than a key here). */
export const DATA_KEY = '(N + Ntest)·P·d';
export const WORK_KEY = 'N·P·d·m';

/** What a config breaks of the bounds (strict: CLI, worker, dumps). */
export function boundIssues(c: Sizes): ParamIssue[] {
  const issues: ParamIssue[] = [];
  if (dataSize(c) > DATA_BUDGET) {
    issues.push({
      key: DATA_KEY,
      message: `= (${c.N} + ${c.Ntest})·${c.P}·${c.d} = ${fmt(dataSize(c))} is over the data bound of ${fmt(DATA_BUDGET)} numbers (memory); lower N, Ntest, P or d`,
    });
  }
  if (stepWork(c) > WORK_BUDGET) {
    issues.push({
      key: WORK_KEY,
      message: `= ${c.N}·${c.P}·${c.d}·${c.m} = ${fmt(stepWork(c))} is over the work bound of ${fmt(WORK_BUDGET)} per step; lower N, P, d or m`,
    });
  }
  return issues;
}

/**
 * Forgiving fit (URL): the example counts shrink until the config fits, d, P and m stay as asked.
 * The data bound scales N and Ntest by the same factor (their ratio stays); the work bound then
 * lowers N alone. Both always fit at the counts' minimum (10), whatever d, P and m are.
 */
export function fitBounds<C extends Sizes>(config: C): { config: C; notes: ParamIssue[] } {
  const notes: ParamIssue[] = [];
  let { N, Ntest } = config;
  const { P, d, m } = config;
  const nMin = (paramSpec('N') as NumericParamSpec).min;
  const tMin = (paramSpec('Ntest') as NumericParamSpec).min;
  if (dataSize(config) > DATA_BUDGET) {
    const room = Math.floor(DATA_BUDGET / (P * d));
    const scale = room / (N + Ntest);
    N = Math.max(nMin, Math.floor(N * scale));
    Ntest = Math.max(tMin, Math.min(room - N, Math.floor(Ntest * scale)));
    notes.push({
      key: DATA_KEY,
      message: `= (${config.N} + ${config.Ntest})·${P}·${d} = ${fmt(dataSize(config))} is over the data bound of ${fmt(DATA_BUDGET)} numbers, which keeps the page's memory finite; using N = ${N}, Ntest = ${Ntest}`,
    });
  }
  if (stepWork({ N, Ntest, P, d, m }) > WORK_BUDGET) {
    const before = N;
    N = Math.max(nMin, Math.floor(WORK_BUDGET / (P * d * m)));
    notes.push({
      key: WORK_KEY,
      message: `= ${before}·${P}·${d}·${m} = ${fmt(stepWork({ N: before, Ntest, P, d, m }))} is over the work bound of ${fmt(WORK_BUDGET)} per step, which keeps each step short; using N = ${N}`,
    });
  }
  return { config: { ...config, N, Ntest }, notes };
}
