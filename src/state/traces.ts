import type { RunDetail, RunTrace } from '../sim/trace';

const DETAIL_KEYS: (keyof RunDetail)[] = ['c', 'gLarge', 'gSmall', 'gStep', 'signal', 'noise'];

function concat(a: Float32Array, b: Float32Array): Float32Array {
  if (!a.length) return b;
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export function emptyTrace(): RunTrace {
  return { rows: [], detail: Object.fromEntries(DETAIL_KEYS.map((k) => [k, new Float32Array(0)])) as unknown as RunDetail };
}

/** A trace with the rows of `more` appended (new objects: the store stays immutable). */
export function appendTrace(trace: RunTrace, more: RunTrace): RunTrace {
  return {
    rows: trace.rows.concat(more.rows),
    detail: Object.fromEntries(DETAIL_KEYS.map((k) => [k, concat(trace.detail[k], more.detail[k])])) as unknown as RunDetail,
  };
}
