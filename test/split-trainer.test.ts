import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { joinCollected, runLineupSync, runPairSync } from '../src/engine/experiment';
import { BatchTrainer, type Collected } from '../src/engine/trainer';
import { generateDataset } from '../src/sim/data';
import type { Config } from '../src/sim/params';
import { type RunChoice, runSpecs } from '../src/sim/runs';
import { decodeRun } from '../src/sim/trace';
import { HelperSession } from '../src/worker/helper-session';
import type { RunId, ToWorker } from '../src/worker/protocol';
import { TrainingSession } from '../src/worker/session';
import { HelperError, HelperLink, SplitTrainer, mergeCollected } from '../src/worker/split-trainer';
import { SMALL, withConfig } from './support/configs';
import { FakeHost, joinRows, sleep, until } from './support/session-host';
import { switchBackend } from './support/tf';

const BASE: Config = withConfig({ T: 120, logEvery: 10 }, SMALL);
const LINEUP: RunChoice[] = [{ id: 'gd' }, { id: 'gdm' }, { id: 'gdm-until', arg: 30 }, { id: 'sgd', arg: 7 }, { id: 'gdm-from' }];

/** The helper thread in this process: messages cross in later tasks both ways, as between threads. */
function inProcessHelper(): { link: HelperLink; helper: HelperSession } {
  const helper: HelperSession = new HelperSession((message) => setTimeout(() => link.receive(message), 0));
  const link = new HelperLink((message) => setTimeout(() => void helper.handle(structuredClone(message)), 0));
  return { link, helper };
}

/** Train to the end in advances of varied sizes; every logged row. */
async function trainAll(trainer: { advance(n: number): void; collect(): Promise<Collected>; done: boolean }): Promise<Collected> {
  const parts: Collected[] = [];
  const sizes = [1, 3, 17, 40];
  for (let k = 0; !trainer.done; k++) {
    trainer.advance(sizes[k % sizes.length]);
    parts.push(await trainer.collect());
  }
  return joinCollected(parts);
}

const differing = (a: Float32Array, b: Float32Array) => a.reduce((n, x, k) => n + (Object.is(x, b[k]) ? 0 : 1), 0);

describe('SplitTrainer: half of a lineup on a helper thread (wasm)', () => {
  beforeAll(() => switchBackend('wasm'));
  const helpers: HelperSession[] = [];
  afterEach(() => helpers.splice(0).forEach((h) => h.dispose()));

  for (const [what, lineup] of [
    ['the pair', undefined],
    ['a lineup of five with a minibatch run', LINEUP],
  ] as const) {
    it(`${what}: the rows of one batch, bit for bit, in the batch's order`, async () => {
      const cfg = withConfig({ eta: 0.5 }, BASE);
      const data = generateDataset(cfg);
      const specs = runSpecs(cfg, lineup ? [...lineup] : undefined);
      const tensorsBefore = tf.memory().numTensors;
      const { link, helper } = inProcessHelper();
      helpers.push(helper);
      const split = new SplitTrainer(data, specs, cfg, 'wasm', link);
      expect(split.runs.map((r) => r.name)).toEqual(specs.map((r) => r.name));
      const got = await trainAll(split);
      expect(helper.size, 'a trainer on the helper').toBe(1);
      const batch = new BatchTrainer(data, specs, cfg);
      const want = await trainAll(batch);
      batch.dispose();
      expect(got.ts).toEqual(want.ts);
      expect(got.packed.length).toBe(want.packed.length);
      expect(differing(got.packed, want.packed)).toBe(0);
      split.dispose();
      await sleep(20);
      expect(helper.size).toBe(0);
      expect(tf.memory().numTensors).toBe(tensorsBefore);
    });
  }

  it('mergeCollected refuses trainers out of step', () => {
    const a = { ts: [0, 10], packed: new Float32Array(4) };
    expect(() => mergeCollected(a, 1, { ts: [0, 20], packed: new Float32Array(4) }, 1)).toThrow(/out of step/);
    expect(mergeCollected(a, 1, { ts: [0, 10], packed: Float32Array.from([5, 6, 7, 8]) }, 1).packed).toEqual(Float32Array.from([0, 0, 5, 6, 0, 0, 7, 8]));
  });

  it('a helper that fails rejects what waits with a HelperError, and every later request at once', async () => {
    const sent: unknown[] = [];
    const told: string[] = [];
    const link = new HelperLink((m) => sent.push(m), (why) => told.push(why));
    const id = link.create('wasm', BASE, runSpecs(BASE).slice(1));
    const waiting = link.advance(id, 5);
    link.receive({ type: 'error', id, message: 'out of memory' });
    await expect(waiting).rejects.toBeInstanceOf(HelperError);
    expect(link.failed).toBe('out of memory');
    await expect(link.advance(id, 5)).rejects.toThrow(/helper thread failed: out of memory/);
    link.fail('again');
    expect(told).toEqual(['out of memory']);
    // a trainer disposed here is never asked of the helper again
    const other = link.create('wasm', BASE, runSpecs(BASE).slice(1));
    link.dispose(other);
    const fresh = new HelperLink((m) => sent.push(m));
    const gone = fresh.create('wasm', BASE, runSpecs(BASE).slice(1));
    fresh.dispose(gone);
    const before = sent.length;
    await expect(fresh.advance(gone, 5)).rejects.toThrow(/was disposed/);
    expect(sent).toHaveLength(before);
  });

  describe('in the training session', () => {
    const sessions: TrainingSession[] = [];
    afterEach(() => sessions.splice(0).forEach((s) => s.dispose()));
    const start = (runId: RunId, config: Config, lineup?: RunChoice[]): ToWorker => ({ type: 'start', runId, config, paused: false, stepsPerSecond: null, ...(lineup ? { lineup } : {}) });

    it('streams the numbers of one batch and frees both threads', async () => {
      const tensorsBefore = tf.memory().numTensors;
      const { link, helper } = inProcessHelper();
      helpers.push(helper);
      const host = Object.assign(new FakeHost(), { trainer: (d: never, runs: never, c: Config) => new SplitTrainer(d, runs, c, 'wasm', link) });
      const session = new TrainingSession(host);
      sessions.push(session);
      const cfg = withConfig({ seeds: 2 }, BASE);
      session.handle(start(1, cfg));
      await host.done(1);
      const small = host.started(1)[0].small;
      const { ts, rows } = joinRows(host.snapshots(1));
      const want = runPairSync(cfg, generateDataset(cfg));
      for (const name of ['gd', 'gdm'] as const) {
        const got = decodeRun(rows[name], ts, 0, 1, cfg.m, small);
        expect(got.rows.map((r) => r.testErr), name).toEqual(want[name].rows.map((r) => r.testErr));
        expect(differing(got.detail.noise, want[name].detail.noise), `${name} noise`).toBe(0);
      }
      await until(() => host.messages.filter((m) => m.type === 'seed').length === 2, 'two seed summaries');
      expect(host.errors()).toEqual([]);
      session.dispose();
      await sleep(20);
      expect(helper.size).toBe(0);
      expect(tf.memory().numTensors).toBe(tensorsBefore);
    });

    it('a helper that dies mid-run: the run starts again on this thread alone and ends on the same numbers', async () => {
      const { link, helper } = inProcessHelper();
      helpers.push(helper);
      let made = 0;
      const host = Object.assign(new FakeHost(), {
        trainer: (d: never, runs: never, c: Config) => (link.failed ? null : (made++, new SplitTrainer(d, runs, c, 'wasm', link))),
      });
      host.recoverWith = async (error) => error instanceof HelperError;
      const session = new TrainingSession(host);
      sessions.push(session);
      const cfg = withConfig({ T: 400 }, BASE);
      session.handle(start(1, cfg, LINEUP.slice(0, 3)));
      // the helper's thread goes once the run has streamed a little
      await until(() => host.snapshots(1).length >= 2, 'two snapshots');
      link.fail('the helper thread stopped');
      await host.done(1, 60_000);
      expect(made).toBe(1);
      expect(host.recovered.some((e) => e instanceof HelperError)).toBe(true);
      expect(host.errors()).toEqual([]);
      // the page replaces what it had under this runId: the last 'started' and the snapshots after it
      const restarted = host.messages.lastIndexOf(host.started(1).at(-1)!);
      const after = host.snapshots(1).filter((s) => host.messages.indexOf(s) > restarted);
      const { ts, rows } = joinRows(after);
      const small = host.started(1).at(-1)!.small;
      const want = runLineupSync(cfg, generateDataset(cfg), host.started(1).at(-1)!.lineup);
      for (const name of ['gd', 'gdm', 'gdm-until'] as const) {
        expect(decodeRun(rows[name], ts, 0, 1, cfg.m, small).rows.map((r) => r.loss), name).toEqual(want[name]!.rows.map((r) => r.loss));
      }
    });
  });
});
