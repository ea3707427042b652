import type { RunDetail, RunTrace } from '../sim/trace';

const DETAIL_KEYS: (keyof RunDetail)[] = ['c', 'gLarge', 'gSmall', 'gStep', 'signal', 'noise'];

/** How much of each backing buffer is in use: a view that ends there may be extended in place. */
const used = new WeakMap<ArrayBufferLike, number>();

/**
 * `a` followed by `b`, as a view into a buffer that grows by doubling. Appending a snapshot costs
 * its own size, not the size of the whole trace (a long run streams thousands of snapshots).
 * Views handed out earlier are never overwritten: in-place growth happens only at the end of the
 * used region, and only from the view that ends there.
 */
function append(a: Float32Array, b: Float32Array): Float32Array {
  const length = a.length + b.length;
  const inUse = used.get(a.buffer);
  if (inUse === a.byteOffset / 4 + a.length && a.byteOffset === 0 && a.buffer.byteLength >= length * 4) {
    const grown = new Float32Array(a.buffer, 0, length);
    grown.set(b, a.length);
    used.set(a.buffer, length);
    return grown;
  }
  const backing = new Float32Array(Math.max(1024, 2 * length));
  backing.set(a);
  backing.set(b, a.length);
  used.set(backing.buffer, length);
  return backing.subarray(0, length);
}

export function emptyTrace(): RunTrace {
  return { rows: [], detail: Object.fromEntries(DETAIL_KEYS.map((k) => [k, new Float32Array(0)])) as unknown as RunDetail };
}

/** A trace with the rows of `more` appended (new objects: the store stays immutable). */
export function appendTrace(trace: RunTrace, more: RunTrace): RunTrace {
  return {
    rows: trace.rows.concat(more.rows),
    detail: Object.fromEntries(DETAIL_KEYS.map((k) => [k, append(trace.detail[k], more.detail[k])])) as unknown as RunDetail,
  };
}
