import type { BackendName } from '../engine/backend-names';
import { joinCollected } from '../engine/experiment';
import { BatchTrainer, type Collected } from '../engine/trainer';
import type { Dataset } from '../sim/data';
import type { Config } from '../sim/params';
import type { RunSpec } from '../sim/runs';
import type { FromHelper, ToHelper } from './helper-protocol';

/** What the session asks of a trainer (BatchTrainer is one). */
export interface Trainer {
  readonly runs: readonly RunSpec[];
  /** Steps taken so far. */
  readonly t: number;
  readonly done: boolean;
  advance(steps: number): void;
  collect(): Promise<Collected>;
  dispose(): void;
}

/** The helper failed (it could not start, or its thread died): train without it from now on. */
export class HelperError extends Error {
  override name = 'HelperError';
}

/** The worker's end of the helper thread: requests by trainer id, replies in order. */
export class HelperLink {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (c: Collected) => void; reject: (e: Error) => void }[]>();
  /** Why the helper cannot be used, once it failed. */
  failed: string | null = null;

  /** `failed`: told once, at the first failure (the worker tells the page: one thread from now on). */
  constructor(
    private readonly send: (message: ToHelper) => void,
    private readonly onFail: (why: string) => void = () => {},
  ) {}

  /** Hand every reply of the helper here. */
  receive(message: FromHelper): void {
    if (message.type === 'rows') {
      this.pending.get(message.id)?.shift()?.resolve({ ts: message.ts, packed: message.packed });
      return;
    }
    if (message.id === null) return this.fail(message.message);
    for (const waiter of this.pending.get(message.id)?.splice(0) ?? []) waiter.reject(new HelperError(`the helper thread failed: ${message.message}`));
    // An error on create or advance leaves that trainer out of step: the helper is not used again.
    this.fail(message.message);
  }

  /** The thread died or could not start: every request waiting is rejected. */
  fail(why: string): void {
    const first = this.failed === null;
    this.failed ??= why;
    if (first) this.onFail(why);
    for (const waiters of this.pending.values()) for (const w of waiters.splice(0)) w.reject(new HelperError(`the helper thread failed: ${why}`));
  }

  warm(backend: BackendName): void {
    this.send({ type: 'warm', backend });
  }

  create(backend: BackendName, config: Config, runs: RunSpec[]): number {
    const id = this.nextId++;
    this.pending.set(id, []);
    this.send({ type: 'create', id, backend, config, runs });
    return id;
  }

  advance(id: number, steps: number): Promise<Collected> {
    if (this.failed) return Promise.reject(new HelperError(`the helper thread failed: ${this.failed}`));
    const waiters = this.pending.get(id);
    if (!waiters) return Promise.reject(new Error(`helper trainer ${id} was disposed`));
    return new Promise((resolve, reject) => {
      waiters.push({ resolve, reject });
      this.send({ type: 'advance', id, steps });
    });
  }

  dispose(id: number): void {
    this.pending.delete(id);
    if (!this.failed) this.send({ type: 'dispose', id });
  }
}

/**
 * Rows of two trainers of the same steps, laid out [logged step][run][row] with the first trainer's
 * `ra` runs before the second's `rb`.
 */
export function mergeCollected(a: Collected, ra: number, b: Collected, rb: number): Collected {
  if (a.ts.length !== b.ts.length || a.ts.some((t, s) => t !== b.ts[s])) throw new Error(`split trainers out of step: logged ${a.ts.join(',')} and ${b.ts.join(',')}`);
  const S = a.ts.length;
  if (S === 0) return { ts: [], packed: new Float32Array(0) };
  const L = a.packed.length / (S * ra);
  if (b.packed.length !== S * rb * L) throw new Error('split trainers: rows of different lengths');
  const packed = new Float32Array(S * (ra + rb) * L);
  for (let s = 0; s < S; s++) {
    packed.set(a.packed.subarray(s * ra * L, (s + 1) * ra * L), s * (ra + rb) * L);
    packed.set(b.packed.subarray(s * rb * L, (s + 1) * rb * L), (s * (ra + rb) + ra) * L);
  }
  return { ts: a.ts, packed };
}

/**
 * A lineup trained on two threads: the first half of its runs here, the rest in the helper, in
 * lockstep (the same steps per advance), merged into the rows one BatchTrainer of the whole lineup
 * gives. The runs of a batch never mix (step.ts), so each run's numbers are bit for bit those of the
 * one batch: the default pair in Node wasm, 523,934 numbers, none different.
 * Why: on 2 cores the pair trained alone took 1.32 s; each run alone, the two in parallel, 0.8-0.9 s.
 */
export class SplitTrainer implements Trainer {
  readonly runs: readonly RunSpec[];
  private readonly local: BatchTrainer;
  private readonly id: number;
  private readonly remoteCount: number;
  private waiting: Promise<Collected>[] = [];

  constructor(data: Dataset, runs: readonly RunSpec[], config: Config, backend: BackendName, private readonly link: HelperLink) {
    const cut = Math.ceil(runs.length / 2);
    const remote = runs.slice(cut);
    this.runs = runs;
    this.remoteCount = remote.length;
    this.id = link.create(backend, config, [...remote]);
    this.local = new BatchTrainer(data, runs.slice(0, cut), config);
  }

  get t(): number {
    return this.local.t;
  }

  get done(): boolean {
    return this.local.done;
  }

  advance(steps: number): void {
    // The helper first, so that it trains while this thread does.
    const remote = this.link.advance(this.id, steps);
    remote.catch(() => undefined); // collect() reports it
    this.waiting.push(remote);
    this.local.advance(steps);
  }

  async collect(): Promise<Collected> {
    const waiting = this.waiting;
    this.waiting = [];
    const [own, ...theirs] = await Promise.all([this.local.collect(), ...waiting]);
    return mergeCollected(own, this.local.runs.length, theirs.length === 1 ? theirs[0] : joinCollected(theirs), this.remoteCount);
  }

  dispose(): void {
    this.link.dispose(this.id);
    this.local.dispose();
  }
}
