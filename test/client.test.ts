import { afterEach, describe, expect, it, vi } from 'vitest';
import { runPairSync } from '../src/engine/experiment';
import { generateDataset } from '../src/sim/data';
import type { Config } from '../src/sim/params';
import type { RunName } from '../src/sim/runs';
import { decodeRun, loggedSteps, rowLayout } from '../src/sim/trace';
import { initialTraining, reduceTraining } from '../src/state/training';
import { type ClientEvent, TrainingClient } from '../src/worker/client';
import type { BackendInfo, FromWorker, SnapshotMessage, ToWorker } from '../src/worker/protocol';
import { TrainingSession } from '../src/worker/session';
import { SMALL, withConfig } from './support/configs';
import { until } from './support/session-host';
import { switchBackend } from './support/tf';

/** Stands in for the Worker: records what the client posts; the test delivers the worker's answers. */
class FakeWorker {
  readonly posted: ToWorker[] = [];
  terminated = false;
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  onmessageerror: ((event: MessageEvent) => void) | null = null;
  /** Where posted messages go besides `posted` (a real session, in the end-to-end tests). */
  forward: ((message: ToWorker) => void) | null = null;

  postMessage(message: ToWorker): void {
    this.posted.push(message);
    this.forward?.(message);
  }

  terminate(): void {
    this.terminated = true;
  }

  deliver(message: FromWorker): void {
    this.onmessage!({ data: message } as MessageEvent<FromWorker>);
  }

  of<K extends ToWorker['type']>(type: K): Extract<ToWorker, { type: K }>[] {
    return this.posted.filter((m): m is Extract<ToWorker, { type: K }> => m.type === type);
  }
}

function open(options: { backend?: 'webgl' | 'wasm' | 'cpu' | null; threads?: 1 | 2 | null } = {}) {
  const worker = new FakeWorker();
  const events: ClientEvent[] = [];
  const client = new TrainingClient((e) => events.push(e), { heartbeatMs: null, ...options, createWorker: () => worker as unknown as Worker });
  return { worker, events, client };
}

const CFG: Config = withConfig({ m: 2, N: 3, T: 20, logEvery: 10 }, SMALL);
const SMALL_FLAGS = Uint8Array.of(1, 0, 1);

const startedMsg = (runId: number, config: Config = CFG, reused: RunName[] = []): FromWorker => ({
  type: 'started',
  runId,
  config,
  runs: ['gd', 'gdm'],
  lineup: [{ id: 'gd' }, { id: 'gdm' }],
  reused,
  small: SMALL_FLAGS,
  examples: [],
});

/** Rows with recognizable numbers: value = 1000 * run + 100 * s + position in the row. */
function snapshotMsg(runId: number, ts: number[], over: Partial<SnapshotMessage> = {}): SnapshotMessage {
  const L = rowLayout(CFG.m, CFG.N).length;
  const rows = Object.fromEntries(
    ['gd', 'gdm'].map((name, run) => [name, Float32Array.from({ length: ts.length * L }, (_, k) => 1000 * run + 100 * Math.floor(k / L) + (k % L))]),
  );
  return { type: 'snapshot', runId, t: (ts.at(-1) ?? 0) + 1, done: false, paused: false, ts, rows, stepsPerSecond: 123, ...over };
}

const BACKEND: BackendInfo = { name: 'wasm', renderer: null, float32: null, reason: 'no WebGL2' };

describe('TrainingClient with a fake worker', () => {
  it('sends init first, with the backend and the threads asked for', () => {
    const { worker } = open({ backend: 'cpu', threads: 2 });
    expect(worker.posted).toEqual([{ type: 'init', backend: 'cpu', threads: 2 }]);
    expect(open().worker.posted).toEqual([{ type: 'init', backend: null, threads: null }]);
  });

  it('start returns increasing run ids and sends the config', () => {
    const { worker, client } = open();
    expect(client.currentRunId).toBeNull();
    const a = client.start(CFG);
    expect(a).toBe(1);
    expect(client.currentRunId).toBe(1);
    expect(worker.of('start')).toEqual([{ type: 'start', runId: 1, config: CFG, paused: false, stepsPerSecond: null }]);
    worker.deliver(startedMsg(1));
    const b = client.start(CFG, { paused: true, stepsPerSecond: 50 });
    expect(b).toBeGreaterThan(a);
    expect(worker.of('start')[1]).toMatchObject({ runId: b, paused: true, stepsPerSecond: 50 });
  });

  it('coalesces a burst of starts: while one is unacknowledged, only the latest waits', () => {
    const { worker, events, client } = open();
    const ids: number[] = [];
    for (let k = 0; k < 100; k++) ids.push(client.start(withConfig({ seed: k }, CFG)));
    for (let k = 1; k < ids.length; k++) expect(ids[k]).toBeGreaterThan(ids[k - 1]);
    expect(worker.of('start')).toHaveLength(1);
    expect(worker.of('start')[0]).toMatchObject({ runId: ids[0], config: { seed: 0 } });

    worker.deliver(startedMsg(ids[0], withConfig({ seed: 0 }, CFG)));
    const starts = worker.of('start');
    expect(starts).toHaveLength(2);
    expect(starts[1]).toMatchObject({ runId: ids[99], config: { seed: 99 } });
    // the abandoned run's 'started' is not passed on
    expect(events.filter((e) => e.type === 'started')).toEqual([]);

    // its snapshots are dropped, and so are the current run's before its own 'started'
    worker.deliver(snapshotMsg(ids[0], [0]));
    worker.deliver(snapshotMsg(ids[99], [0]));
    expect(events).toEqual([]);

    worker.deliver(startedMsg(ids[99], withConfig({ seed: 99 }, CFG)));
    expect(events).toEqual([{ type: 'started', runId: ids[99], config: withConfig({ seed: 99 }, CFG), runs: ['gd', 'gdm'], lineup: [{ id: 'gd' }, { id: 'gdm' }], reused: [], small: SMALL_FLAGS, examples: [] }]);
    worker.deliver(snapshotMsg(ids[99], [0]));
    expect(events.at(-1)).toMatchObject({ type: 'snapshot', runId: ids[99] });
    // and nothing more was sent
    expect(worker.of('start')).toHaveLength(2);
    // acknowledged: the next start goes out at once
    const next = client.start(CFG);
    expect(worker.of('start').at(-1)!.runId).toBe(next);
  });

  it('decodes a snapshot of the current run into per-run traces', () => {
    const { worker, events, client } = open();
    const id = client.start(CFG);
    worker.deliver(startedMsg(id, CFG, ['gd']));
    expect(events[0]).toMatchObject({ type: 'started', runId: id, reused: ['gd'] });
    const message = snapshotMsg(id, [0, 10], { t: 11, paused: true, stepsPerSecond: 456 });
    worker.deliver(message);
    const event = events.at(-1) as Extract<ClientEvent, { type: 'snapshot' }>;
    expect(event).toMatchObject({ type: 'snapshot', runId: id, t: 11, done: false, paused: true, stepsPerSecond: 456 });
    expect(Object.keys(event.traces).sort()).toEqual(['gd', 'gdm']);
    for (const name of ['gd', 'gdm'] as const) {
      expect(event.traces[name]).toEqual(decodeRun(message.rows[name]!, [0, 10], 0, 1, CFG.m, SMALL_FLAGS));
    }
    expect(event.traces.gdm.rows.map((r) => r.t)).toEqual([0, 10]);
    // loss is the first number of a row: 1000 * run + 100 * s
    expect(event.traces.gdm.rows.map((r) => r.loss)).toEqual([1000, 1100]);
    expect(event.traces.gd.detail.signal).toHaveLength(2 * CFG.N);
    // an old run's snapshot after a new start is dropped
    const id2 = client.start(CFG);
    worker.deliver(snapshotMsg(id, [20]));
    expect(events.filter((e) => e.type === 'snapshot')).toHaveLength(1);
    expect(id2).toBeGreaterThan(id);
  });

  it('an error refusing a start releases the queue', () => {
    const { worker, events, client } = open();
    const a = client.start(CFG);
    client.start(withConfig({ seed: 1 }, CFG));
    const c = client.start(withConfig({ seed: 2 }, CFG));
    expect(worker.of('start')).toHaveLength(1);
    // the refusal of an abandoned start: not shown, but the latest start goes out
    worker.deliver({ type: 'error', runId: a, message: 'gamma must be ...' });
    expect(events).toEqual([]);
    expect(worker.of('start').map((s) => s.runId)).toEqual([a, c]);
    // the refusal of the current start: shown, and the next start is not held back
    worker.deliver({ type: 'error', runId: c, message: 'seed must be ...' });
    expect(events).toEqual([{ type: 'error', runId: c, message: 'seed must be ...' }]);
    const d = client.start(CFG);
    expect(worker.of('start').map((s) => s.runId)).toEqual([a, c, d]);
  });

  it('passes ready, backend and run-less errors on; drops errors of other runs', () => {
    const { worker, events, client } = open();
    worker.deliver({ type: 'ready', backend: BACKEND });
    const switched: BackendInfo = { ...BACKEND, name: 'cpu', reason: 'wasm failed' };
    worker.deliver({ type: 'backend', backend: switched });
    const id = client.start(CFG);
    worker.deliver(startedMsg(id));
    worker.deliver({ type: 'error', runId: id + 5, message: 'not ours' });
    worker.deliver({ type: 'error', runId: null, message: 'no backend' });
    worker.deliver({ type: 'error', runId: id, message: 'training failed: x' });
    expect(events.map((e) => e.type)).toEqual(['ready', 'backend', 'started', 'error', 'error']);
    expect(events.slice(3)).toEqual([
      { type: 'error', runId: null, message: 'no backend' },
      { type: 'error', runId: id, message: 'training failed: x' },
    ]);
  });

  it('worker.onerror and onmessageerror become error events', () => {
    const { worker, events, client } = open();
    const preventDefault = vi.fn();
    worker.onerror!({ message: 'SyntaxError: bad chunk', preventDefault } as unknown as ErrorEvent);
    expect(preventDefault).toHaveBeenCalled();
    expect(events.at(-1)).toMatchObject({ type: 'error', runId: null });
    expect((events.at(-1) as { message: string }).message).toContain('SyntaxError: bad chunk');
    worker.onerror!({ message: '', preventDefault } as unknown as ErrorEvent);
    expect((events.at(-1) as { message: string }).message).toMatch(/could not load/);
    const id = client.start(CFG);
    worker.onmessageerror!({} as MessageEvent);
    expect(events.at(-1)).toMatchObject({ type: 'error', runId: id });
  });

  it('pause, resume, step and speed carry the current runId', () => {
    const { worker, client } = open();
    // nothing to control before a start; the speed is remembered for it
    client.pause();
    client.step(3);
    client.setSpeed(40);
    expect(worker.posted.map((m) => m.type)).toEqual(['init']);
    const a = client.start(CFG);
    expect(worker.of('start')[0].stepsPerSecond).toBe(40);
    worker.deliver(startedMsg(a));
    client.pause();
    client.resume();
    client.step(5);
    client.setSpeed(null);
    expect(worker.posted.slice(2)).toEqual([
      { type: 'pause', runId: a },
      { type: 'resume', runId: a },
      { type: 'step', runId: a, steps: 5 },
      { type: 'speed', runId: a, stepsPerSecond: null },
    ]);
    const b = client.start(CFG);
    worker.deliver(startedMsg(b));
    client.pause();
    expect(worker.posted.at(-1)).toEqual({ type: 'pause', runId: b });
    expect(worker.of('start').at(-1)!.stepsPerSecond).toBeNull();
  });

  it('reset restarts the acknowledged config under a new id; dispose terminates the worker', () => {
    const { worker, client } = open();
    expect(client.reset()).toBeNull();
    const config = withConfig({ seed: 4 }, CFG);
    const a = client.start(config);
    worker.deliver(startedMsg(a, config));
    const b = client.reset({ paused: true });
    expect(b).toBe(a + 1);
    expect(worker.of('start').at(-1)).toMatchObject({ runId: b, config, paused: true });
    client.dispose();
    expect(worker.terminated).toBe(true);
  });

it('a pause pressed while the start is queued is not lost', () => {
    const { worker, client } = open();
    const a = client.start(CFG);
    const b = client.start(withConfig({ seed: 1 }, CFG));
    client.pause();
    worker.deliver(startedMsg(a));
    const afterStart = worker.posted.slice(worker.posted.findIndex((m) => m.type === 'start' && m.runId === b));
    const start = afterStart[0] as Extract<ToWorker, { type: 'start' }>;
    const pausedLater = afterStart.some((m) => m.type === 'pause' && m.runId === b);
    expect(start.paused || pausedLater).toBe(true);
  });
});

describe('TrainingClient: frozen runs and worker failures', () => {
  /** A client whose every new worker is a fresh FakeWorker (index 0 is the first). */
  function openMany(heartbeatMs: number | null = null) {
    const workers: FakeWorker[] = [];
    const events: ClientEvent[] = [];
    const client = new TrainingClient((e) => events.push(e), {
      backend: 'webgl',
      heartbeatMs,
      createWorker: () => {
        workers.push(new FakeWorker());
        return workers.at(-1) as unknown as Worker;
      },
    });
    return { workers, events, client };
  }
  const crashEvent = (message: string) => ({ message, preventDefault: vi.fn() }) as unknown as ErrorEvent;

  afterEach(() => vi.useRealTimers());

  it('decodes a run frozen where it diverged: its rows are the first of ts, and where and why are passed on', () => {
    const { workers, events, client } = openMany();
    const id = client.start(CFG);
    workers[0].deliver(startedMsg(id));
    const message = snapshotMsg(id, [0, 10, 20]);
    const L = rowLayout(CFG.m, CFG.N).length;
    const diverged = { gdm: { step: 10, kind: 'not finite' as const, cause: 'eta too large', suggestedEta: 0.1 } };
    message.rows.gdm = message.rows.gdm!.slice(0, L);
    workers[0].deliver({ ...message, diverged });
    const event = events.at(-1) as Extract<ClientEvent, { type: 'snapshot' }>;
    expect(event.diverged).toEqual(diverged);
    expect(event.traces.gdm.rows.map((r) => r.t)).toEqual([0]);
    expect(event.traces.gd.rows.map((r) => r.t)).toEqual([0, 10, 20]);
    expect(event.traces.gdm.detail.signal).toHaveLength(CFG.N);
    // and a snapshot with no rows of it at all
    workers[0].deliver({ ...snapshotMsg(id, [30]), rows: { gd: snapshotMsg(id, [30]).rows.gd, gdm: new Float32Array(0) }, diverged });
    expect((events.at(-1) as Extract<ClientEvent, { type: 'snapshot' }>).traces.gdm.rows).toEqual([]);
  });

  it('an uncaught error after ready: reported, a new worker is inited with the same backend and restarts the run', () => {
    const { workers, events, client } = openMany();
    workers[0].deliver({ type: 'ready', backend: BACKEND });
    const config = withConfig({ seed: 8 }, CFG);
    const id = client.start(config);
    workers[0].deliver(startedMsg(id, config));
    client.pause();
    workers[0].onerror!(crashEvent('Uncaught Error: boom'));
    expect(workers).toHaveLength(2);
    expect(workers[0].terminated).toBe(true);
    expect(events.at(-1)).toEqual({
      type: 'restarted',
      message: 'The training worker threw an uncaught error (Uncaught Error: boom); a new one took over and the run started again from step 0.',
    });
    expect(workers[1].posted).toEqual([
      { type: 'init', backend: 'webgl', threads: null },
      { type: 'start', runId: id, config, paused: true, stepsPerSecond: null },
    ]);
    // the old worker's late messages are ignored; the new one's run is shown under the same id
    const before = events.length;
    workers[0].deliver(snapshotMsg(id, [0]));
    expect(events).toHaveLength(before);
    workers[1].deliver(startedMsg(id, config));
    workers[1].deliver(snapshotMsg(id, [0]));
    expect(events.slice(before).map((e) => e.type)).toEqual(['started', 'snapshot']);
    // control messages now go to the new worker
    client.resume();
    expect(workers[1].posted.at(-1)).toEqual({ type: 'resume', runId: id });
  });

  it('an error before ready (the worker could not load) is reported, not retried', () => {
    const { workers, events } = openMany();
    workers[0].onerror!(crashEvent(''));
    expect(workers).toHaveLength(1);
    expect(events).toEqual([{ type: 'error', runId: null, message: 'the training worker failed: it could not load' }]);
  });

  it('a worker that keeps dying is reported after three restarts within a minute', () => {
    const { workers, events } = openMany();
    for (let k = 0; k < 4; k++) {
      workers[k].deliver({ type: 'ready', backend: BACKEND });
      workers[k].onerror!(crashEvent('boom'));
    }
    expect(workers).toHaveLength(4);
    expect(events.filter((e) => e.type === 'restarted')).toHaveLength(3);
    expect(events.at(-1)).toMatchObject({ type: 'error', runId: null });
    expect((events.at(-1) as { message: string }).message).toMatch(/4 times within a minute; reload the page/);
  });

  it('heartbeat: pings after a third of the limit of silence, pongs keep it alive, silence past the limit restarts', () => {
    vi.useFakeTimers();
    const { workers, events, client } = openMany(3000);
    // no heartbeat before ready: loading may take long
    vi.advanceTimersByTime(10_000);
    expect(workers[0].of('ping')).toEqual([]);
    workers[0].deliver({ type: 'ready', backend: BACKEND });
    const id = client.start(CFG);
    vi.advanceTimersByTime(1000);
    expect(workers[0].of('ping')).toEqual([]);
    vi.advanceTimersByTime(1500);
    expect(workers[0].of('ping')).toHaveLength(1);
    workers[0].deliver({ type: 'pong' });
    vi.advanceTimersByTime(2500);
    expect(workers).toHaveLength(1);
    expect(events.map((e) => e.type)).toEqual(['ready']);
    // a page blocked past the limit (the clock jumps, no tick ran) does not count as the worker's silence
    vi.setSystemTime(Date.now() + 10_000);
    vi.advanceTimersByTime(1000);
    expect(workers).toHaveLength(1);
    // now silent for good
    vi.advanceTimersByTime(4000);
    expect(workers).toHaveLength(2);
    expect(workers[0].terminated).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'restarted' });
    expect((events.at(-1) as { message: string }).message).toMatch(/^The training worker stopped answering \(silent for \d+ s\)/);
    expect(workers[1].of('start')).toEqual([{ type: 'start', runId: id, config: CFG, paused: false, stepsPerSecond: null }]);
    // dispose stops the heartbeat: no more restarts
    client.dispose();
    vi.advanceTimersByTime(60_000);
    expect(workers).toHaveLength(2);
  });

  it('debug sends the action to the worker', () => {
    const { workers, client } = openMany();
    client.debug('lose-context');
    expect(workers[0].posted.at(-1)).toEqual({ type: 'debug', action: 'lose-context' });
  });
});

describe('TrainingClient against a real TrainingSession (wasm)', () => {
  let session: TrainingSession | null = null;
  afterEach(() => {
    session?.dispose();
    session = null;
  });

  /** A fake worker whose messages reach a real session asynchronously, structured-cloned both ways. */
  async function connect() {
    await switchBackend('wasm');
    const { worker, events, client } = open();
    session = new TrainingSession({
      post: (message) => setTimeout(() => worker.deliver(structuredClone(message))),
      recover: async () => false,
    });
    const s = session;
    worker.forward = (message) => setTimeout(() => s.handle(structuredClone(message)));
    return { worker, events, client };
  }

  it('a run arrives whole through the client and the store', async () => {
    const { events, client } = await connect();
    const config = withConfig({ T: 80, logEvery: 10 }, SMALL);
    client.start(config);
    await until(() => events.some((e) => e.type === 'snapshot' && e.done), 'the end of the run');
    const state = events.reduce(reduceTraining, initialTraining);
    expect(state.status).toBe('done');
    expect(state.t).toBe(config.T);
    const want = runPairSync(config, generateDataset(config));
    for (const name of ['gd', 'gdm'] as const) {
      expect(state.traces[name]!.rows.map((r) => r.t)).toEqual(loggedSteps(config.T, config.logEvery));
      expect(state.traces[name]!.rows).toEqual(want[name].rows);
      expect(state.traces[name]!.detail).toEqual(want[name].detail);
    }
  });

  it('a burst of 50 starts reaches the worker as 2, and only the last run is shown', async () => {
    const { worker, events, client } = await connect();
    const configs = Array.from({ length: 50 }, (_, k) => withConfig({ T: 40 + k, logEvery: 10 }, SMALL));
    let last = 0;
    for (const config of configs) last = client.start(config);
    await until(() => events.some((e) => e.type === 'snapshot' && e.runId === last && e.done), 'the last run to finish');
    expect(worker.of('start')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'started').map((e) => e.runId)).toEqual([last]);
    expect(events.every((e) => !('runId' in e) || e.runId === last)).toBe(true);
    const state = events.reduce(reduceTraining, initialTraining);
    expect(state.config).toEqual(configs.at(-1));
    expect(state.traces.gd!.rows.map((r) => r.t)).toEqual(loggedSteps(89, 10));
  });
});
