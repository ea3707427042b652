/** Hand-made trace rows and traces for unit and component tests (the real ones come from the engine). */
import type { RunDetail, RunTrace, TraceRow } from '../../src/sim/trace';

/** A complete row at step t: every number 0 unless given. */
export function traceRow(t: number, values: Partial<TraceRow> = {}): TraceRow {
  return {
    t, loss: 0, trainErr: 0, trainErrSmall: 0, trainErrLarge: 0, testErr: 0, testErrSmall: 0, testErrLarge: 0,
    cMax: 0, rStar: 0, smallSignal: 0, smallNoise: 0, smallByFeature: 0, gLarge: 0, gSmall: 0, gStep: 0,
    ...values,
  };
}

/** A trace of the given rows; detail arrays as given, empty otherwise. */
export function handTrace(rows: TraceRow[], detail: Partial<Record<keyof RunDetail, ArrayLike<number>>> = {}): RunTrace {
  const of = (k: keyof RunDetail) => Float32Array.from(detail[k] ?? []);
  return { rows, detail: { c: of('c'), gLarge: of('gLarge'), gSmall: of('gSmall'), gStep: of('gStep'), signal: of('signal'), noise: of('noise') } };
}
