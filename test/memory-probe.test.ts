/**
 * The worker's memory probe (tfjs tensors and the GD cache) and the GD cache's bound: a trajectory
 * too large to keep is not cached at all, and a gamma change then trains GD again.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../src/sim/params';
import { loggedSteps, rowLayout } from '../src/sim/trace';
import { TrainingClient } from '../src/worker/client';
import type { FromWorker, MemoryMessage, ToWorker } from '../src/worker/protocol';
import { GD_CACHE_FLOATS, TrainingSession } from '../src/worker/session';
import { SMALL, withConfig } from './support/configs';
import { FakeHost, until } from './support/session-host';
import { switchBackend } from './support/tf';

const CFG: Config = withConfig({ T: 30, logEvery: 10 }, SMALL);
/** loggedSteps(1000, 1) * rowLayout(64, 2000) = 1001 * 4263 numbers: over the cache bound. */
const BIG: Config = withConfig({ N: 2000, Ntest: 10, m: 64, T: 1000, logEvery: 1 }, SMALL);

let sessions: TrainingSession[] = [];
afterEach(() => {
  sessions.forEach((s) => s.dispose());
  sessions = [];
});

function open() {
  const host = new FakeHost();
  const session = new TrainingSession(host);
  sessions.push(session);
  return { host, session };
}

async function ask(host: FakeHost, session: TrainingSession, id: number): Promise<MemoryMessage> {
  session.handle({ type: 'memory', id });
  return until(() => host.messages.find((m): m is MemoryMessage => m.type === 'memory' && m.id === id), `memory answer ${id}`);
}

describe('memory probe (wasm)', () => {
  beforeAll(() => switchBackend('wasm'));

  it('answers tf.memory() and the GD cache size; the same run twice holds the same tensors, none after dispose', async () => {
    const baseline = tf.memory().numTensors;
    const { host, session } = open();
    session.handle({ type: 'start', runId: 1, config: CFG, paused: false, stepsPerSecond: null });
    await host.done(1);
    const first = await ask(host, session, 1);
    expect(first.numTensors).toBe(tf.memory().numTensors);
    expect(first.numTensors).toBeGreaterThan(baseline); // the finished run's weights are still there
    expect(first.numBytes).toBe(tf.memory().numBytes);
    expect(first.gdCacheFloats).toBe(loggedSteps(CFG.T, CFG.logEvery).length * rowLayout(CFG.m, CFG.N).length);

    // Another pair of the same shape (a new seed: nothing reused) holds exactly as many tensors.
    const other = { ...CFG, seed: CFG.seed + 1 };
    session.handle({ type: 'start', runId: 2, config: other, paused: false, stepsPerSecond: null });
    await host.done(2);
    expect(host.started(2)[0].reused).toEqual([]);
    expect((await ask(host, session, 2)).numTensors).toBe(first.numTensors);
    // Gamma changes replay GD: never more tensors, and the same count from one change to the next.
    session.handle({ type: 'start', runId: 3, config: { ...other, gamma: 0.5 }, paused: false, stepsPerSecond: null });
    await host.done(3);
    expect(host.started(3)[0].reused).toEqual(['gd']);
    const replayed = await ask(host, session, 3);
    expect(replayed.numTensors).toBeLessThanOrEqual(first.numTensors);
    session.handle({ type: 'start', runId: 4, config: { ...other, gamma: 0.7 }, paused: false, stepsPerSecond: null });
    await host.done(4);
    expect((await ask(host, session, 4)).numTensors).toBe(replayed.numTensors);

    session.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('does not cache a GD trajectory over the bound: a gamma change trains GD again', async () => {
    expect(loggedSteps(BIG.T, BIG.logEvery).length * rowLayout(BIG.m, BIG.N).length).toBeGreaterThan(GD_CACHE_FLOATS);
    const { host, session } = open();
    session.handle({ type: 'start', runId: 1, config: BIG, paused: true, stepsPerSecond: null });
    await until(() => host.snapshots(1).length > 0, 'the first step');
    expect((await ask(host, session, 1)).gdCacheFloats).toBe(0);
    session.handle({ type: 'start', runId: 2, config: { ...BIG, gamma: 0.5 }, paused: true, stepsPerSecond: null });
    await until(() => host.snapshots(2).length > 0, 'the first step');
    expect(host.started(2)[0].reused).toEqual([]);
    expect(Object.keys(host.snapshots(2)[0].rows).sort()).toEqual(['gd', 'gdm']);
  });
});

describe('TrainingClient.memory', () => {
  it('asks the worker and resolves with its answer, matched by id', async () => {
    const posted: ToWorker[] = [];
    const worker = { postMessage: (m: ToWorker) => posted.push(m), terminate() {}, onmessage: null as ((e: MessageEvent<FromWorker>) => void) | null };
    const client = new TrainingClient(() => {}, { createWorker: () => worker as unknown as Worker });
    const a = client.memory();
    const b = client.memory();
    const asks = posted.filter((m): m is Extract<ToWorker, { type: 'memory' }> => m.type === 'memory');
    expect(asks.map((m) => m.id)).toHaveLength(2);
    const answer = (id: number, numTensors: number) =>
      worker.onmessage!({ data: { type: 'memory', id, numTensors, numBytes: 4 * numTensors, numDataBuffers: numTensors, gdCacheFloats: 7 } } as MessageEvent<FromWorker>);
    answer(asks[1].id, 20);
    answer(asks[0].id, 10);
    expect(await a).toEqual({ numTensors: 10, numBytes: 40, numDataBuffers: 10, gdCacheFloats: 7 });
    expect((await b).numTensors).toBe(20);
    client.dispose();
  });

  it('asks again of the new worker when the old one died before answering', async () => {
    type Fake = { posted: ToWorker[]; postMessage: (m: ToWorker) => void; terminate(): void; onmessage: ((e: MessageEvent<FromWorker>) => void) | null; onerror: ((e: ErrorEvent) => void) | null };
    const workers: Fake[] = [];
    const make = (): Fake => {
      const w: Fake = { posted: [], postMessage: (m) => w.posted.push(m), terminate() {}, onmessage: null, onerror: null };
      workers.push(w);
      return w;
    };
    const client = new TrainingClient(() => {}, { createWorker: () => make() as unknown as Worker });
    const backend = { name: 'wasm', renderer: null, float32: null, reason: 'test' } as const;
    workers[0].onmessage!({ data: { type: 'ready', backend } } as MessageEvent<FromWorker>); // a worker that loaded, then died
    const asked = client.memory();
    const id = workers[0].posted.find((m): m is Extract<ToWorker, { type: 'memory' }> => m.type === 'memory')!.id;
    workers[0].onerror!({ message: 'boom', preventDefault() {} } as unknown as ErrorEvent);
    expect(workers).toHaveLength(2);
    expect(workers[1].posted).toContainEqual({ type: 'memory', id });
    workers[1].onmessage!({ data: { type: 'memory', id, numTensors: 3, numBytes: 12, numDataBuffers: 3, gdCacheFloats: 0 } } as MessageEvent<FromWorker>);
    expect((await asked).numTensors).toBe(3);
    client.dispose();
  });
});
