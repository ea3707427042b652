/**
 * Per-row results reused as a streamed trace grows (sim/grown.ts): at every snapshot of a stream,
 * with in-place growth, reallocation and downsampling, they equal the same results computed from
 * scratch on a copy of the trace (fresh buffers: nothing to reuse).
 */
import { describe, expect, it } from 'vitest';
import { thresholdSeries } from '../src/sim/mechanism';
import { cumulativeExtents } from '../src/panels/race-layout';
import { type RunDetail, type RunTrace, SUMMARY_FIELDS, type TraceRow } from '../src/sim/trace';
import { appendTrace, emptyTrace } from '../src/state/traces';

const m = 2;
const N = 6;
const small = Uint8Array.from([0, 1, 0, 1, 1, 0]);
const KEYS = ['c', 'gLarge', 'gSmall', 'gStep', 'signal', 'noise'] as const;
const size = (k: keyof RunDetail) => (k === 'signal' || k === 'noise' ? N : m);

function row(t: number): TraceRow {
  const summary = Object.fromEntries(SUMMARY_FIELDS.map((f) => [f, t])) as Record<(typeof SUMMARY_FIELDS)[number], number>;
  return { t, ...summary, cMax: t / 7, rStar: 0, smallSignal: 0, smallNoise: 0, smallByFeature: 0, gLarge: 1, gSmall: 2, gStep: t };
}

/** Numbers that move up and down with t and i (so running extents and medians change). */
const value = (t: number, k: number, i: number) => Math.sin(t * 1.7 + i * 0.9 + k) * (1 + t / 3) - (i === 2 && t === 9 ? Number.NaN : 0);

function chunk(ts: readonly number[]): RunTrace {
  const detail = Object.fromEntries(
    KEYS.map((key, k) => {
      const a = new Float32Array(ts.length * size(key));
      ts.forEach((t, s) => {
        for (let i = 0; i < size(key); i++) a[s * size(key) + i] = value(t, k, i);
      });
      return [key, a];
    }),
  ) as unknown as RunDetail;
  return { rows: ts.map(row), detail };
}

/** The same trace in buffers of its own. */
const copy = (trace: RunTrace): RunTrace => ({
  rows: trace.rows.slice(),
  detail: Object.fromEntries(KEYS.map((k) => [k, Float32Array.from(trace.detail[k])])) as unknown as RunDetail,
});

describe('results reused while a trace grows', () => {
  it('equal the results from scratch at every snapshot, through in-place growth, reallocation and downsampling', () => {
    let trace = emptyTrace();
    const chunks = [1, 2, 5, 1, 9, 3, 40, 1, 7];
    let t = 0;
    for (let c = 0; c < 40; c++) {
      const ts = Array.from({ length: chunks[c % chunks.length] }, () => t++);
      // A small budget (24 rows) downsamples several times along the stream.
      trace = appendTrace(trace, chunk(ts), 24);
      const fresh = copy(trace);
      expect(thresholdSeries(trace, small, 0.5)).toEqual(thresholdSeries(fresh, small, 0.5));
      expect(Array.from(cumulativeExtents(trace, N))).toEqual(Array.from(cumulativeExtents(fresh, N)));
    }
    expect(t).toBeGreaterThan(200);
  });

  it('are not reused across a change of what they depend on (beta, the small-margin marks)', () => {
    let trace = emptyTrace();
    trace = appendTrace(trace, chunk([0, 1, 2]));
    const before = thresholdSeries(trace, small, 0.5);
    trace = appendTrace(trace, chunk([3, 4]));
    const other = Uint8Array.from([1, 1, 0, 0, 0, 1]);
    expect(thresholdSeries(trace, small, 0.25)).toEqual(thresholdSeries(copy(trace), small, 0.25));
    expect(thresholdSeries(trace, other, 0.5)).toEqual(thresholdSeries(copy(trace), other, 0.5));
    expect(before).toHaveLength(3);
  });

  it('recompute a row whose detail was missing in the earlier, shorter view', () => {
    const base = appendTrace(emptyTrace(), chunk([0, 1]));
    // rows without their detail yet (the precomputed first view has only some of it)
    const partial: RunTrace = { rows: [...base.rows, row(2)], detail: base.detail };
    thresholdSeries(partial, small, 0.5);
    cumulativeExtents(partial, N);
    const full = appendTrace(base, chunk([2, 3]));
    expect(thresholdSeries(full, small, 0.5)).toEqual(thresholdSeries(copy(full), small, 0.5));
    expect(Array.from(cumulativeExtents(full, N))).toEqual(Array.from(cumulativeExtents(copy(full), N)));
  });
});
