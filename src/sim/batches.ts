/**
 * The minibatches of sgd and sgdm: each epoch visits every training example once, in an order drawn
 * by a Fisher-Yates shuffle from the seed's batch stream (sim/data.ts batchRandom), epoch after
 * epoch. With batch size b an epoch is ceil(N / b) steps; step t is step k = t mod ceil(N / b) of
 * epoch floor(t / ceil(N / b)) and uses positions k b .. min((k + 1) b, N) - 1 of that epoch's
 * order: the last batch of an epoch may be smaller, and its gradient is the mean over its own size.
 * The orders do not depend on b, so runs with the same b see the same batches. T counts steps.
 */
import { batchRandom } from './data';

export const stepsPerEpoch = (N: number, b: number) => Math.ceil(N / b);

export class BatchOrder {
  private readonly rand: () => number;
  /** Epoch orders drawn so far and still needed (lower ones are dropped by forget). */
  private readonly orders = new Map<number, Uint32Array>();
  private drawn = 0;

  constructor(
    seed: number,
    readonly N: number,
  ) {
    this.rand = batchRandom(seed);
  }

  /** The order of epoch e (every epoch before it is drawn first: one stream). */
  epoch(e: number): Uint32Array {
    while (this.drawn <= e) {
      const order = Uint32Array.from({ length: this.N }, (_, i) => i);
      for (let i = this.N - 1; i > 0; i--) {
        const j = Math.floor(this.rand() * (i + 1));
        const x = order[i];
        order[i] = order[j];
        order[j] = x;
      }
      this.orders.set(this.drawn++, order);
    }
    const order = this.orders.get(e);
    if (!order) throw new Error(`epoch ${e} was forgotten`);
    return order;
  }

  /** The examples of step t at batch size b. */
  batch(t: number, b: number): Uint32Array {
    const E = stepsPerEpoch(this.N, b);
    const k = t % E;
    return this.epoch(Math.floor(t / E)).subarray(k * b, Math.min((k + 1) * b, this.N));
  }

  /** Drop the orders of epochs before `e` (runs move forward only; b = 1 would keep T epochs otherwise). */
  forget(e: number): void {
    for (const k of this.orders.keys()) if (k < e) this.orders.delete(k);
  }
}
