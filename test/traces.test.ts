/**
 * The page's trace store: appending is concatenation until the row budget, after which the older
 * rows are thinned to a regular, coarser grid of real rows (never dropped at random).
 */
import { describe, expect, it } from 'vitest';
import { rowIndexAt } from '../src/view/cursor';
import { milestones } from '../src/sim/story';
import { type RunDetail, type RunTrace, SUMMARY_FIELDS, type TraceRow, firstStepWhere, loggedSteps } from '../src/sim/trace';
import { DETAIL_FLOATS, MAX_ROWS, appendTrace, emptyTrace, rowBudget, traceStride } from '../src/state/traces';

const m = 3;
const N = 5;
const KEYS = ['c', 'gLarge', 'gSmall', 'gStep', 'signal', 'noise'] as const;
const size = (k: keyof RunDetail) => (k === 'signal' || k === 'noise' ? N : m);

/** A row whose every number tells which step and field it is, so a kept row can be checked against its source. */
function row(t: number): TraceRow {
  const summary = Object.fromEntries(SUMMARY_FIELDS.map((f, j) => [f, t + j / 10])) as Record<(typeof SUMMARY_FIELDS)[number], number>;
  return { t, ...summary, cMax: t / 7, rStar: t % m, smallSignal: -t, smallNoise: 2 * t, smallByFeature: (t % 11) / 11, gLarge: 1, gSmall: 2, gStep: t };
}

/** The detail value of step t, key k, entry i (exact in float32 for the steps used here). */
const cell = (t: number, k: number, i: number) => t * 64 + k * 8 + i;

function chunk(ts: readonly number[]): RunTrace {
  const detail = Object.fromEntries(
    KEYS.map((key, k) => {
      const a = new Float32Array(ts.length * size(key));
      ts.forEach((t, s) => {
        for (let i = 0; i < size(key); i++) a[s * size(key) + i] = cell(t, k, i);
      });
      return [key, a];
    }),
  ) as unknown as RunDetail;
  return { rows: ts.map(row), detail };
}

/** Every kept row is the row logged at its t, with that step's own detail block, in order. */
function expectRealRows(trace: RunTrace): void {
  trace.rows.forEach((r, j) => {
    expect(r).toEqual(row(r.t));
    if (j > 0) expect(r.t).toBeGreaterThan(trace.rows[j - 1].t);
    KEYS.forEach((key, k) => {
      const block = trace.detail[key].subarray(j * size(key), (j + 1) * size(key));
      expect(Array.from(block)).toEqual(Array.from({ length: size(key) }, (_, i) => cell(r.t, k, i)));
    });
  });
  for (const key of KEYS) expect(trace.detail[key].length).toBe(trace.rows.length * size(key));
}

/** Stream logged steps in uneven chunks, as snapshots arrive; returns every intermediate trace. */
function stream(ts: readonly number[], budget: number | undefined, chunks = [1, 3, 17, 64, 5, 250, 2]): RunTrace[] {
  const out: RunTrace[] = [];
  let trace = emptyTrace();
  for (let at = 0, c = 0; at < ts.length; c++) {
    const n = chunks[c % chunks.length];
    const more = chunk(ts.slice(at, at + n));
    trace = appendTrace(trace, more, budget);
    // the latest logged step is always there
    expect(trace.rows.at(-1)!.t).toBe(more.rows.at(-1)!.t);
    out.push(trace);
    at += n;
  }
  return out;
}

describe('appendTrace', () => {
  it('under the budget, is plain concatenation, and never changes a trace handed out before', () => {
    const a = appendTrace(emptyTrace(), chunk([0, 10, 20]));
    const aCopy = structuredClone(a);
    const b = appendTrace(a, chunk([30, 40]));
    const c = appendTrace(a, chunk([31])); // from an older state: must not write into b's numbers
    expect(b.rows.map((r) => r.t)).toEqual([0, 10, 20, 30, 40]);
    expect(c.rows.map((r) => r.t)).toEqual([0, 10, 20, 31]);
    expect(a).toEqual(aCopy);
    expectRealRows(b);
    expectRealRows(c);
    expect(traceStride(b)).toBe(1);
  });

  it('a 20 000-step run logged every step stays within the budget, keeping t = 0, the latest row and a regular grid', () => {
    const ts = loggedSteps(20000, 1);
    const budget = 200;
    const states = stream(ts, budget);
    let stride = 1;
    for (const trace of states) {
      expect(trace.rows.length).toBeLessThanOrEqual(budget);
      expect(trace.rows[0].t).toBe(0);
      expect(traceStride(trace)).toBeGreaterThanOrEqual(stride); // the grid only gets coarser
      stride = traceStride(trace);
      // The rows are: every multiple of the stride up to some step, then every logged step after it.
      const onGrid = trace.rows.findIndex((r, j) => j > 0 && r.t - trace.rows[j - 1].t !== stride);
      const cut = onGrid < 0 ? trace.rows.length : onGrid;
      const head = trace.rows.slice(0, cut).map((r) => r.t);
      expect(head).toEqual(head.map((_, j) => j * stride));
      const tail = trace.rows.slice(cut).map((r) => r.t);
      expect(tail.every((t, j) => j === 0 || t === tail[j - 1] + 1)).toBe(true);
    }
    const end = states.at(-1)!;
    expect(end.rows.at(-1)!.t).toBe(20000);
    expect(end.rows.length).toBeGreaterThan(budget / 4);
    expect(traceStride(end)).toBeGreaterThan(1);
    expectRealRows(end);
  });

  it('right after thinning, keeps exactly the multiples of the new stride (and the latest row), with logEvery = 7', () => {
    const ts = loggedSteps(5000, 7); // 0, 7, ..., 4998, 5000: the last step is off the grid
    const states = stream(ts, 64, [9]);
    let thinned = 0;
    let total = 0;
    states.forEach((trace, s) => {
      const added = Math.min(9, ts.length - total);
      total += added;
      const before = s > 0 ? states[s - 1].rows.length : 0;
      if (trace.rows.length === before + added) return;
      thinned++;
      const stride = traceStride(trace);
      const source = ts.slice(0, total);
      const want = source.filter((t, i) => t % stride === 0 || i === source.length - 1);
      expect(trace.rows.map((r) => r.t)).toEqual(want);
      expect(trace.rows.length).toBeLessThanOrEqual(64 / 2 + 1);
      expectRealRows(trace);
    });
    expect(thinned).toBeGreaterThan(2);
    expect(states.at(-1)!.rows.at(-1)!.t).toBe(5000);
  });

  it('thinning writes new buffers: a state handed out before keeps its rows and numbers', () => {
    const states = stream(loggedSteps(3000, 1), 50, [7]);
    const copies = states.map((s) => structuredClone(s));
    // append from every old state again, which must neither disturb it nor the states after it
    states.forEach((s) => appendTrace(s, chunk([s.rows.at(-1)!.t + 1]), 50));
    states.forEach((s, i) => expect(s).toEqual(copies[i]));
  });

  it('lookups by t work on a thinned trace: the cursor finds the row at or before t, milestones within one stride', () => {
    const ts = loggedSteps(20000, 1);
    const trace = stream(ts, 300).at(-1)!;
    const stride = traceStride(trace);
    for (const t of [0, 1, 777, 4096, 12345, 19999, 20000, 25000]) {
      const k = rowIndexAt(trace.rows, t);
      expect(trace.rows[k].t).toBeLessThanOrEqual(t);
      if (k + 1 < trace.rows.length) expect(trace.rows[k + 1].t).toBeGreaterThan(t);
      expect(t - trace.rows[k].t).toBeLessThan(stride + (t > 20000 ? t - 20000 : 0));
    }
    // A milestone seen through the thinned rows is late by less than the stride, never early.
    const truth = 9001;
    const when = firstStepWhere(trace.rows, (r) => r.t >= truth);
    expect(when! - truth).toBeGreaterThanOrEqual(0);
    expect(when! - truth).toBeLessThan(stride);
    expect(milestones(trace.rows, trace.rows).gdFitted).toBeNull(); // trainErr never reaches 0 here
  });

  it('the default budget follows the row size: MAX_ROWS for small runs, 16 MB of detail for the largest', () => {
    expect(rowBudget(4 * 20 + 2 * 500)).toBe(MAX_ROWS);
    const largest = 4 * 64 + 2 * 2000;
    expect(rowBudget(largest)).toBe(Math.floor(DETAIL_FLOATS / largest));
    expect(rowBudget(largest) * largest * 4).toBeLessThanOrEqual(16_000_000);
    // applied by default: a run of per-row size 8 * 5 keeps at most MAX_ROWS rows
    const trace = stream(loggedSteps(2 * MAX_ROWS + 500, 1), undefined).at(-1)!;
    expect(trace.rows.length).toBeLessThanOrEqual(MAX_ROWS);
    expect(trace.rows.at(-1)!.t).toBe(2 * MAX_ROWS + 500);
  });
});
