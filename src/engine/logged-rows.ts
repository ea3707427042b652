import * as tf from '@tensorflow/tfjs-core';
import type { Split } from '../sim/data';

/**
 * A split's noise patches (every patch but the signal patch, in order), [(P - 1) n, d], slot-major:
 * row s n + i is example i's s-th noise patch.
 */
export function noisePatches(split: Split, P: number, d: number): Float32Array {
  const n = split.count;
  const out = new Float32Array(n * (P - 1) * d);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < P; j++) {
      if (j === split.signalPatch[i]) continue;
      const row = s * n + i;
      out.set(split.X.subarray((i * P + j) * d, (i * P + j + 1) * d), row * d);
      s++;
    }
  }
  return out;
}

/**
 * Columns [n, 3] of 1 for every example, for small-margin ones, for large-margin ones, and 1 / group
 * size ([1, 3]; NaN for an empty group). Counting errors with 0/1 indicators keeps the sums exact,
 * so every backend reports the same error rates.
 */
export function groupColumns(small: Uint8Array): { groups: Float32Array; scale: Float32Array } {
  const n = small.length;
  const nSmall = small.reduce((a, s) => a + s, 0);
  const groups = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    groups[3 * i] = 1;
    groups[3 * i + 1] = small[i];
    groups[3 * i + 2] = 1 - small[i];
  }
  const inv = (k: number) => (k ? 1 / k : Number.NaN);
  return { groups, scale: Float32Array.of(inv(n), inv(nSmall), inv(n - nSmall)) };
}

/**
 * Rows logged on the backend, kept there until read back all at once: one transfer (one GPU sync on
 * webgl) per collect, values laid out [logged step][row].
 */
export class LoggedRows {
  private pending: { t: number; row: tf.Tensor }[] = [];

  push(t: number, row: tf.Tensor): void {
    this.pending.push({ t, row });
  }

  async collect(): Promise<{ ts: number[]; values: Float32Array }> {
    const { ts, stacked } = this.take();
    if (!stacked) return { ts, values: new Float32Array(0) };
    const values = (await stacked.data()) as Float32Array;
    stacked.dispose();
    return { ts, values };
  }

  /** Blocking variant for Node (cpu and wasm backends read back synchronously anyway). */
  collectSync(): { ts: number[]; values: Float32Array } {
    const { ts, stacked } = this.take();
    if (!stacked) return { ts, values: new Float32Array(0) };
    const values = stacked.dataSync() as Float32Array;
    stacked.dispose();
    return { ts, values };
  }

  dispose(): void {
    for (const p of this.pending) p.row.dispose();
    this.pending = [];
  }

  private take(): { ts: number[]; stacked?: tf.Tensor } {
    const rows = this.pending;
    this.pending = [];
    if (!rows.length) return { ts: [] };
    const stacked = tf.stack(rows.map((p) => p.row));
    for (const p of rows) p.row.dispose();
    return { ts: rows.map((p) => p.t), stacked };
  }
}
