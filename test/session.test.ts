import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runLineupSync, runPairSync } from '../src/engine/experiment';
import { type RunChoice, runSpecs } from '../src/sim/runs';
import { SEED_FIELDS, finalSeedValue } from '../src/sim/seeds';
import { BatchTrainer } from '../src/engine/trainer';
import { generateDataset } from '../src/sim/data';
import type { Config } from '../src/sim/params';
import { rowDivergence } from '../src/sim/divergence';
import { type RunTrace, SUMMARY_FIELDS, decodeRun, divergence, loggedSteps, rowLayout } from '../src/sim/trace';
import type { RunId, SeedMessage, ToWorker } from '../src/worker/protocol';
import { TrainingSession, WARM_UP_STEPS } from '../src/worker/session';
import { SMALL, withConfig } from './support/configs';
import { FakeHost, joinRows, sleep, until } from './support/session-host';
import { switchBackend, trainAll } from './support/tf';

const BASE: Config = withConfig({ T: 120, logEvery: 10 }, SMALL);

let sessions: TrainingSession[] = [];

function open(): { host: FakeHost; session: TrainingSession; send: (message: ToWorker) => void } {
  const host = new FakeHost();
  const session = new TrainingSession(host);
  sessions.push(session);
  return { host, session, send: (message) => session.handle(message) };
}

const start = (runId: RunId, config: Config, paused = false, stepsPerSecond: number | null = null, lineup?: RunChoice[]): ToWorker => ({
  type: 'start',
  runId,
  config,
  paused,
  stepsPerSecond,
  ...(lineup ? { lineup } : {}),
});

/** Decode the joined rows of one run of a session, as the page does (one run per array). */
function decodeJoined(host: FakeHost, runId: RunId, config: Config, name: string, from = 0): RunTrace {
  const small = host.started(runId).at(-1)!.small;
  const { ts, rows } = joinRows(host.snapshots(runId).slice(from));
  return decodeRun(rows[name], ts, 0, 1, config.m, small);
}

/** Decode one run whose rows may stop before the others' (a run frozen where it diverged). */
function decodeFrozen(host: FakeHost, runId: RunId, config: Config, name: string): RunTrace {
  const small = host.started(runId).at(-1)!.small;
  const { ts, rows } = joinRows(host.snapshots(runId));
  const L = rowLayout(config.m, config.N).length;
  return decodeRun(rows[name], ts.slice(0, rows[name].length / L), 0, 1, config.m, small);
}

/** The first k logged rows of a trace. */
function prefix(trace: RunTrace, k: number): RunTrace {
  const cut = (a: Float32Array) => a.slice(0, (a.length / trace.rows.length) * k);
  const { c, gLarge, gSmall, gStep, signal, noise } = trace.detail;
  return { rows: trace.rows.slice(0, k), detail: { c: cut(c), gLarge: cut(gLarge), gSmall: cut(gSmall), gStep: cut(gStep), signal: cut(signal), noise: cut(noise) } };
}

function expectSameTrace(got: RunTrace, want: RunTrace, what: string): void {
  const close = (a: number, b: number, label: string) => {
    if (Number.isNaN(b)) expect(a, label).toBeNaN();
    else expect(Math.abs(a - b), `${label}: ${a} vs ${b}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(b)));
  };
  expect(got.rows.map((r) => r.t), what).toEqual(want.rows.map((r) => r.t));
  got.rows.forEach((row, s) => {
    for (const f of [...SUMMARY_FIELDS, 'cMax', 'rStar', 'smallSignal', 'smallNoise', 'smallByFeature', 'gLarge', 'gSmall', 'gStep'] as const) {
      close(row[f], want.rows[s][f], `${what} ${f} at t=${row.t}`);
    }
  });
  for (const key of ['c', 'gLarge', 'gSmall', 'gStep', 'signal', 'noise'] as const) {
    expect(got.detail[key].length, `${what} detail.${key}`).toBe(want.detail[key].length);
    got.detail[key].forEach((x, k) => close(x, want.detail[key][k], `${what} detail.${key}[${k}]`));
  }
}

describe('TrainingSession (wasm)', () => {
  beforeAll(() => switchBackend('wasm'));

  afterEach(() => {
    vi.restoreAllMocks();
    for (const s of sessions) s.dispose();
    sessions = [];
  });

  it('streams a whole run: started, then snapshots of every logged step once, in order, matching runPairSync', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const { host, session, send } = open();
    send(start(1, BASE));

    const started = host.started(1);
    expect(started).toHaveLength(1);
    expect(host.messages[0]).toBe(started[0]);
    expect(started[0].runs).toEqual(['gd', 'gdm']);
    expect(started[0].reused).toEqual([]);
    expect(started[0].config).toEqual(BASE);
    const data = generateDataset(BASE);
    expect(Array.from(started[0].small)).toEqual(Array.from(data.train.small));

    const last = await host.done(1);
    const snaps = host.snapshots(1);
    expect(snaps.at(-1)).toBe(last);
    expect(snaps.filter((s) => s.done)).toHaveLength(1);
    expect(last.t).toBe(BASE.T);
    // the first chunk is a single step: t = 0 is logged at once
    expect(snaps[0].ts).toEqual([0]);
    expect(snaps[0].t).toBe(1);
    const ts = snaps.flatMap((s) => s.ts);
    expect(ts).toEqual(loggedSteps(BASE.T, BASE.logEvery));
    for (let k = 1; k < snaps.length; k++) expect(snaps[k].t).toBeGreaterThanOrEqual(snaps[k - 1].t);
    for (const s of snaps) {
      expect(s.runId).toBe(1);
      expect(Object.keys(s.rows).sort()).toEqual(['gd', 'gdm']);
    }

    const want = runPairSync(BASE, data);
    for (const name of ['gd', 'gdm']) expectSameTrace(decodeJoined(host, 1, BASE, name), want[name], name);

    // nothing after the end
    const count = host.messages.length;
    await sleep(100);
    expect(host.messages).toHaveLength(count);
    expect(host.errors()).toEqual([]);

    session.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it(`warms up unseen (the default pair, ${WARM_UP_STEPS} steps, nothing posted, every tensor freed), once; a start ends it at its next chunk`, async () => {
    const before = tf.memory().numTensors;
    const advance = vi.spyOn(BatchTrainer.prototype, 'advance');
    const warmSteps = () => advance.mock.calls.filter((_, k) => (advance.mock.contexts[k] as BatchTrainer).T === WARM_UP_STEPS).reduce((sum, [n]) => sum + n, 0);
    const quiet = open();
    await quiet.session.warmUp();
    expect(warmSteps()).toBe(WARM_UP_STEPS);
    expect(quiet.host.messages).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
    await quiet.session.warmUp();
    expect(warmSteps()).toBe(WARM_UP_STEPS);

    advance.mockClear();
    const { host, session, send } = open();
    const warming = session.warmUp();
    await until(() => warmSteps() > 0, 'the first warm-up chunk');
    send(start(1, BASE));
    await warming;
    expect(warmSteps()).toBeLessThanOrEqual(20);
    await host.done(1);
    const want = runPairSync(BASE, generateDataset(BASE));
    for (const name of ['gd', 'gdm']) expectSameTrace(decodeJoined(host, 1, BASE, name), want[name], name);
    session.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('started paused: only the t = 0 snapshot; step N takes exactly N steps; resume runs to the end', async () => {
    const cfg = withConfig({ T: 60, logEvery: 5 }, SMALL);
    const { host, send } = open();
    send(start(1, cfg, true));
    const first = await until(() => host.snapshots(1)[0], 'the t = 0 snapshot');
    expect(first).toMatchObject({ ts: [0], t: 1, paused: true, done: false });
    await sleep(150);
    expect(host.snapshots(1)).toHaveLength(1);

    send({ type: 'step', runId: 1, steps: 14 });
    const second = await until(() => host.snapshots(1)[1], 'the snapshot of step 14');
    expect(second).toMatchObject({ t: 15, ts: [5, 10], paused: true, done: false });
    send({ type: 'step', runId: 1, steps: 1 });
    const third = await until(() => host.snapshots(1)[2], 'the snapshot of one step');
    expect(third).toMatchObject({ t: 16, ts: [15], paused: true });
    await sleep(100);
    expect(host.snapshots(1)).toHaveLength(3);

    send({ type: 'resume', runId: 1 });
    const last = await host.done(1);
    expect(last).toMatchObject({ t: cfg.T, paused: false });
    expect(host.snapshots(1).flatMap((s) => s.ts)).toEqual(loggedSteps(cfg.T, cfg.logEvery));
    expectSameTrace(decodeJoined(host, 1, cfg, 'gdm'), runPairSync(cfg, generateDataset(cfg)).gdm, 'gdm');
  });

  it('pause stops the run (beyond the chunk in flight); resume and speed null finish it', async () => {
    const cfg = withConfig({ T: 1000, logEvery: 10 }, SMALL);
    const { host, send } = open();
    send(start(1, cfg, false, 200));
    await until(() => host.snapshots(1).length >= 3, 'three snapshots');
    send({ type: 'pause', runId: 1 });
    const atPause = host.snapshots(1).length;
    await sleep(150);
    const settled = host.snapshots(1).length;
    expect(settled - atPause).toBeLessThanOrEqual(1);
    await sleep(250);
    expect(host.snapshots(1)).toHaveLength(settled);
    expect(host.snapshots(1).at(-1)!.done).toBe(false);
    expect(host.snapshots(1).at(-1)!.t).toBeLessThan(cfg.T);

    send({ type: 'resume', runId: 1 });
    await until(() => host.snapshots(1).length > settled, 'a snapshot after resume');
    send({ type: 'speed', runId: 1, stepsPerSecond: null });
    await host.done(1, 15_000);
    expect(host.snapshots(1).flatMap((s) => s.ts)).toEqual(loggedSteps(cfg.T, cfg.logEvery));
  });

  it('a second start abandons the first: no message of the old run after the new "started"', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const long = withConfig({ T: 20000, logEvery: 10 }, SMALL);
    const short = withConfig({ T: 60, seed: 3 }, SMALL);
    const { host, session, send } = open();
    send(start(1, long));
    await until(() => host.snapshots(1).length >= 2, 'run 1 to be under way');
    send(start(2, short));
    const startedAt = host.messages.indexOf(host.started(2)[0]);
    expect(startedAt).toBeGreaterThan(0);
    await host.done(2);
    await sleep(100);
    expect(host.messages.slice(startedAt).filter((m) => 'runId' in m && m.runId === 1)).toEqual([]);
    expect(host.snapshots(1).some((s) => s.done)).toBe(false);
    expect(host.snapshots(2).flatMap((s) => s.ts)).toEqual(loggedSteps(short.T, short.logEvery));
    expectSameTrace(decodeJoined(host, 2, short, 'gd'), runPairSync(short, generateDataset(short)).gd, 'gd');

    session.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('ignores pause, resume, step and speed of a run that is not the current one', async () => {
    const cfg = withConfig({ T: 60 }, SMALL);
    const { host, send } = open();
    send(start(1, cfg, true));
    await until(() => host.snapshots(1)[0], 'run 1 t = 0');
    send(start(2, cfg, true));
    await until(() => host.snapshots(2)[0], 'run 2 t = 0');

    for (const runId of [1, 3]) {
      send({ type: 'resume', runId });
      send({ type: 'step', runId, steps: 10 });
      send({ type: 'speed', runId, stepsPerSecond: 1 });
    }
    await sleep(200);
    expect(host.snapshots(2)).toHaveLength(1);
    expect(host.snapshots(1)).toHaveLength(1);

    // the stale speed (1 step per second) was not applied: the run finishes at full speed
    send({ type: 'resume', runId: 2 });
    const last = await host.done(2, 5_000);
    expect(last.t).toBe(cfg.T);
    // and a stale pause does not stop the current run
    send({ type: 'start', runId: 4, config: withConfig({ T: 400 }, SMALL), paused: false, stepsPerSecond: 2000 });
    send({ type: 'pause', runId: 2 });
    await host.done(4, 10_000);
  });

  describe('reuses the GD trajectory when only the momentum changed', () => {
    const base = withConfig({ T: 60, logEvery: 10 }, SMALL);

    async function completeRun(host: FakeHost, send: (m: ToWorker) => void, runId: RunId, cfg: Config) {
      send(start(runId, cfg));
      await host.done(runId);
      return joinRows(host.snapshots(runId));
    }

    it.each([
      ['gamma', { gamma: 0.5 }],
      ['momentumForm', { momentumForm: 'heavyball' as const }],
      ['gamma and momentumForm', { gamma: 0.3, momentumForm: 'heavyball' as const }],
    ])('%s changed: gd replayed bitwise, gdm retrained', async (_, change) => {
      const { host, send } = open();
      const first = await completeRun(host, send, 1, base);
      const changed = withConfig(change, base);
      const second = await completeRun(host, send, 2, changed);
      expect(host.started(2)[0].reused).toEqual(['gd']);
      expect(host.started(2)[0].runs).toEqual(['gd', 'gdm']);
      expect(second.ts).toEqual(first.ts);
      expect(second.rows.gd).toEqual(first.rows.gd);
      expect(Buffer.from(second.rows.gd.buffer).equals(Buffer.from(first.rows.gd.buffer))).toBe(true);
      expect(second.rows.gdm).not.toEqual(first.rows.gdm);
      // every snapshot carries both runs, row for row (a chunk between two logged steps carries none),
      // until GD+M diverges (heavy ball here): it is frozen there
      const frozen = host.snapshots(2).at(-1)!.diverged?.gdm;
      for (const s of host.snapshots(2)) {
        if (!frozen) expect(s.rows.gdm!.length).toBe(s.rows.gd!.length);
        else expect(s.rows.gdm!.length).toBeLessThanOrEqual(s.rows.gd!.length);
      }
      expect(host.snapshots(2).some((s) => s.rows.gd!.length > 0)).toBe(true);
      // the replayed GD is the GD of the first configuration; the momentum run is trained alone
      const data = generateDataset(changed);
      expectSameTrace(decodeJoined(host, 2, changed, 'gd'), runPairSync(base, data).gd, 'gd');
      const [, gdm] = runSpecs(changed);
      const alone = trainAll(changed, data, [gdm]).traces[0];
      const got = decodeFrozen(host, 2, changed, 'gdm');
      expect(frozen?.step ?? null, 'frozen where it diverges alone').toBe(got.rows.length < alone.rows.length ? alone.rows[got.rows.length].t : null);
      expectSameTrace(got, prefix(alone, got.rows.length), 'gdm');
    });

    it.each([
      ['beta', { beta: 0.2 }],
      ['eta', { eta: 0.5 }],
      ['T', { T: 70 }],
      ['seed', { seed: 9 }],
      ['logEvery', { logEvery: 5 }],
      ['Ntest', { Ntest: 31 }],
    ])('%s changed: nothing reused', async (_, change) => {
      const { host, send } = open();
      await completeRun(host, send, 1, base);
      const changed = withConfig(change, base);
      await completeRun(host, send, 2, changed);
      expect(host.started(2)[0].reused).toEqual([]);
      expectSameTrace(decodeJoined(host, 2, changed, 'gd'), runPairSync(changed, generateDataset(changed)).gd, 'gd');
    });

    it('does not reuse a GD trajectory that never finished', async () => {
      const { host, send } = open();
      send(start(1, withConfig({ T: 20000 }, base)));
      await until(() => host.snapshots(1).length >= 2, 'run 1 under way');
      send(start(2, withConfig({ T: 20000, gamma: 0.5 }, base)));
      expect(host.started(2)[0].reused).toEqual([]);
    });
  });

  describe('when GD+M diverges (heavy ball, gamma 0.9: ten times the step of GD)', () => {
    const wild = withConfig({ T: 80, logEvery: 10, momentumForm: 'heavyball' }, SMALL);

    async function fresh() {
      const { host, send } = open();
      send(start(1, wild));
      await host.done(1);
      return { host, gd: decodeJoined(host, 1, wild, 'gd'), gdm: decodeFrozen(host, 1, wild, 'gdm') };
    }

    it('GD+M does diverge here (the premise of the next tests)', () => {
      const [gd, gdm] = trainAll(wild, generateDataset(wild), runSpecs(wild)).traces;
      expect(divergence(gdm.rows)).not.toBeNull();
      expect(divergence(gd.rows)).toBeNull();
    });

    it('freezes GD+M at its last finite row and says where and why; GD runs on to T', async () => {
      const { host, gd, gdm } = await fresh();
      const alone = trainAll(wild, generateDataset(wild), [runSpecs(wild)[1]]).traces[0];
      const at = divergence(alone.rows)!;
      const k = alone.rows.findIndex((r) => r.t === at);
      // frozen no later than the first row divergence() sees (a row may overflow in its per-example parts first)
      expect(gdm.rows.length).toBeLessThanOrEqual(k);
      expect(gdm.rows.length).toBeGreaterThan(0);
      expectSameTrace(gdm, prefix(alone, gdm.rows.length), 'gdm before it diverged');
      // nothing posted of GD+M is non-finite or exploding
      const L = rowLayout(wild.m, wild.N).length;
      for (const s of host.snapshots(1)) {
        for (let r = 0; r * L < s.rows.gdm!.length; r++) expect(rowDivergence(s.rows.gdm!.subarray(r * L, (r + 1) * L))).toBeNull();
      }
      const last = host.snapshots(1).at(-1)!;
      expect(last.done).toBe(true);
      expect(last.t).toBe(wild.T);
      expect(last.diverged).toEqual({
        gdm: {
          step: alone.rows[gdm.rows.length].t,
          kind: expect.any(String),
          cause: 'the learning rate η = 1 is too large for γ = 0.9 (with heavy-ball momentum the effective step is η/(1−γ) = 10)',
          suggestedEta: 0.1,
        },
      });
      // every snapshot from the freeze on says so; none before
      const first = host.snapshots(1).findIndex((s) => s.diverged);
      expect(host.snapshots(1).slice(first).every((s) => s.diverged?.gdm?.step === last.diverged!.gdm!.step)).toBe(true);
      expect(Math.max(...host.snapshots(1).slice(0, first).flatMap((s) => s.ts), 0)).toBeLessThan(last.diverged!.gdm!.step);
      expect(gd.rows.map((r) => r.t)).toEqual(loggedSteps(wild.T, wild.logEvery));
    });

    it('ends the pair early when both runs diverge, with nothing non-finite posted', async () => {
      const both = withConfig({ eta: 100, T: 2000 }, wild);
      const { host, send } = open();
      send(start(2, both));
      const last = await host.done(2);
      expect(Object.keys(last.diverged ?? {}).sort()).toEqual(['gd', 'gdm']);
      expect(last.t).toBeLessThan(both.T);
      expect(last.diverged!.gd!.cause).toBe('the learning rate η = 100 is too large for this data');
      expect(last.diverged!.gd!.suggestedEta).toBe(10);
      for (const s of host.snapshots(2)) for (const rows of Object.values(s.rows)) expect(rows.every(Number.isFinite)).toBe(true);
    });

    it('a GD that diverged is replayed frozen at the same step when only gamma changes', async () => {
      const gdWild = withConfig({ eta: 100, T: 60 }, wild);
      const { host, send } = open();
      send(start(1, gdWild));
      const first = await host.done(1);
      send(start(2, withConfig({ gamma: 0.5 }, gdWild)));
      const second = await host.done(2);
      expect(host.started(2)[0].reused).toEqual(['gd']);
      expect(second.diverged?.gd).toEqual(first.diverged?.gd);
      expect(joinRows(host.snapshots(2)).rows.gd).toEqual(joinRows(host.snapshots(1)).rows.gd);
    });

    it('GD in the pair is GD trained alone: a diverging GD+M does not turn it into NaN', async () => {
      const { gd } = await fresh();
      const alone = trainAll(wild, generateDataset(wild), [runSpecs(wild)[0]]).traces[0];
      expect(divergence(gd.rows)).toBeNull();
      expectSameTrace(gd, alone, 'gd');
    });
  });

  describe('a lineup over seeds', () => {
    // gdm-from without its argument: the registry's default (K = 60) is what trains
    const LINEUP: RunChoice[] = [{ id: 'gd' }, { id: 'gdm' }, { id: 'gdm-until', arg: 30 }, { id: 'sgd', arg: 7 }, { id: 'gdm-from' }];
    const seedsOf = (host: FakeHost, runId: RunId) => host.messages.filter((m): m is SeedMessage => m.type === 'seed' && m.runId === runId);

    it('streams every run of the lineup on the focus seed, then one summary per seed, the others trained after it', async () => {
      const tensorsBefore = tf.memory().numTensors;
      const { host, session, send } = open();
      const cfg = withConfig({ seeds: 3, seed: 2, eta: 0.5 }, BASE);
      send(start(1, cfg, false, null, LINEUP));
      await host.done(1);
      const started = host.started(1)[0];
      expect(started.runs).toEqual(['gd', 'gdm', 'gdm-until', 'sgd', 'gdm-from']);
      expect(started.lineup).toEqual([{ id: 'gd' }, { id: 'gdm' }, { id: 'gdm-until', arg: 30 }, { id: 'sgd', arg: 7 }, { id: 'gdm-from', arg: 60 }]);
      // the focus seed's rows are the batch's, run for run
      const want = runLineupSync(cfg, generateDataset(cfg), started.lineup);
      for (const id of started.runs) expectSameTrace(decodeJoined(host, 1, cfg, id), want[id]!, id);
      // then the summaries: focus first, each seed's SEED_FIELDS rows at every logged step
      await until(() => seedsOf(host, 1).length === 3, 'three seed summaries');
      const seeds = seedsOf(host, 1);
      expect(seeds.map((m) => m.seed)).toEqual([2, 3, 4]);
      const ts = loggedSteps(cfg.T, cfg.logEvery);
      for (const [k, m] of seeds.entries()) {
        expect(m.ts).toEqual(ts);
        const own = { ...cfg, seed: m.seed };
        const alone = k === 0 ? want : runLineupSync(own, generateDataset(own), started.lineup);
        for (const id of started.runs) {
          const rows = m.summary[id]!;
          expect(rows.length, `${id} seed ${m.seed}`).toBe(ts.length * SEED_FIELDS.length);
          const last = alone[id]!.rows.at(-1)!;
          for (const f of SEED_FIELDS) {
            if (Number.isNaN(last[f])) expect(finalSeedValue(rows, f), `${id} ${f} seed ${m.seed}`).toBeNaN();
            else expect(finalSeedValue(rows, f), `${id} ${f} seed ${m.seed}`).toBeCloseTo(last[f], 5);
          }
        }
      }
      // the seeds differ: other data sets
      expect(finalSeedValue(seeds[1].summary.gd!, 'cMax')).not.toBe(finalSeedValue(seeds[0].summary.gd!, 'cMax'));
      // every background batch was freed: disposing the session frees the rest
      session.dispose();
      expect(tf.memory().numTensors).toBe(tensorsBefore);
    });

    it('a new start cancels the background seeds: nothing of the old run after the new "started"', async () => {
      const { host, send } = open();
      send(start(1, withConfig({ seeds: 10, T: 400 }, BASE), false, null, LINEUP));
      await until(() => seedsOf(host, 1).length >= 1, 'the focus seed summary');
      send(start(2, BASE));
      const cut = host.messages.findIndex((m) => m.type === 'started' && m.runId === 2);
      await host.done(2);
      await sleep(100);
      expect(host.messages.slice(cut).filter((m) => 'runId' in m && m.runId === 1)).toEqual([]);
      expect(seedsOf(host, 1).length).toBeLessThan(10);
      expect(seedsOf(host, 2).map((m) => m.seed)).toEqual([BASE.seed]);
    });

    it('refuses a bad lineup with an error naming the run and its range', async () => {
      const { host, send } = open();
      send(start(1, BASE, false, null, [{ id: 'gd' }, { id: 'gdm' }, { id: 'sgd', arg: 10_000 }]));
      await until(() => host.errors(1).length, 'the error');
      expect(host.errors(1)[0].message).toBe(`lineup: sgd: b must be an integer from 1 to ${BASE.N} (got "10000")`);
      send(start(2, BASE));
      await host.done(2);
    });
  });

  it('refuses an invalid config with an error naming the parameter, and keeps working', async () => {
    const { host, send } = open();
    send(start(7, withConfig({ gamma: 2 }, SMALL)));
    const errors = host.errors(7);
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/gamma/);
    expect(host.started(7)).toEqual([]);
    send(start(8, { ...withConfig({ T: 30 }, SMALL), bogus: 1 } as unknown as Config));
    expect(host.errors(8)[0].message).toMatch(/bogus/);

    send(start(9, withConfig({ T: 30 }, SMALL)));
    await host.done(9);
    await sleep(50);
    expect(host.snapshots(7)).toEqual([]);
    expect(host.errors()).toHaveLength(2);
  });

  it('throttles to stepsPerSecond, from the start and from a speed message', async () => {
    const cfg = withConfig({ T: 60, logEvery: 10 }, SMALL);
    const { host, send } = open();
    let t0 = performance.now();
    send(start(1, cfg, false, 100));
    await host.done(1);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(400);

    t0 = performance.now();
    send(start(2, cfg, true));
    await until(() => host.snapshots(2)[0], 'run 2 t = 0');
    send({ type: 'speed', runId: 2, stepsPerSecond: 100 });
    send({ type: 'resume', runId: 2 });
    await host.done(2);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(400);
    expect(host.snapshots(2).flatMap((s) => s.ts)).toEqual(loggedSteps(cfg.T, cfg.logEvery));
  });

  describe('when training throws', () => {
    const cfg = withConfig({ T: 100, logEvery: 10 }, SMALL);

    /** advance() throws on its n-th call from now on, once. */
    function failOnce(n: number, message = 'the GPU went away') {
      const original = BatchTrainer.prototype.advance;
      let calls = 0;
      return vi.spyOn(BatchTrainer.prototype, 'advance').mockImplementation(function (this: BatchTrainer, steps: number) {
        if (++calls === n) throw new Error(message);
        return original.call(this, steps);
      });
    }

    it('restarts the run when the host recovers, under the same runId', async () => {
      const tensorsBefore = tf.memory().numTensors;
      failOnce(3);
      const { host, session, send } = open();
      host.recoverWith = async () => true;
      send(start(5, cfg, false, 200));
      await until(() => host.started(5).length === 2, 'a second "started"');
      expect(host.recovered).toHaveLength(1);
      expect((host.recovered[0] as Error).message).toBe('the GPU went away');
      const restartAt = host.messages.indexOf(host.started(5)[1]);
      const before = host.messages.slice(0, restartAt).filter((m) => m.type === 'snapshot');
      expect(before.length).toBeGreaterThanOrEqual(1);
      expect(host.started(5)[1]).toMatchObject({ runs: ['gd', 'gdm'], reused: [], config: cfg });

      await host.done(5);
      const after = host.messages.slice(restartAt).filter((m) => m.type === 'snapshot');
      expect(after.flatMap((s) => s.ts)).toEqual(loggedSteps(cfg.T, cfg.logEvery));
      expect(host.errors()).toEqual([]);
      expectSameTrace(decodeJoined(host, 5, cfg, 'gdm', before.length), runPairSync(cfg, generateDataset(cfg)).gdm, 'gdm');

      session.dispose();
      expect(tf.memory().numTensors).toBe(tensorsBefore);
    });

    /** A host whose backend can be lost: lost() says so once `why` is set. */
    class LosingHost extends FakeHost {
      why: string | null = null;
      lost(): string | null {
        return this.why;
      }
    }

    it.each([
      ['never answers (a lost WebGL context)', 'hang'],
      ['reads back zeros', 'zeros'],
    ] as const)('a backend lost mid-run whose readback %s: nothing of it is posted, the run restarts from its seed', async (_, how) => {
      const host = new LosingHost();
      const session = new TrainingSession(host);
      sessions.push(session);
      host.recoverWith = async () => {
        host.why = null; // the fallback backend is sound
        return true;
      };
      const original = BatchTrainer.prototype.collect;
      let calls = 0;
      vi.spyOn(BatchTrainer.prototype, 'collect').mockImplementation(function (this: BatchTrainer) {
        if (++calls !== 4) return original.call(this);
        host.why = 'the WebGL context was lost';
        if (how === 'hang') return new Promise(() => undefined);
        return original.call(this).then(({ ts, packed }) => ({ ts, packed: new Float32Array(packed.length) }));
      });
      session.handle(start(3, cfg, false, 200));
      await until(() => host.started(3).length === 2, 'the restart');
      const restartAt = host.messages.indexOf(host.started(3)[1]);
      const before = host.messages.slice(0, restartAt).filter((m) => m.type === 'snapshot');
      // three readbacks posted; the fourth, after the loss, was not
      expect(before).toHaveLength(3);
      const postedT = (before.at(-1) as { t: number }).t;
      expect((host.recovered[0] as Error).message).toBe(`the WebGL context was lost at step ${postedT}`);
      await host.done(3);
      expectSameTrace(decodeJoined(host, 3, cfg, 'gd', 3), runPairSync(cfg, generateDataset(cfg)).gd, 'gd');
      expect(host.errors()).toEqual([]);
    });

    it('reports "training failed" when the host cannot recover, and takes a new start afterwards', async () => {
      failOnce(2, 'out of memory');
      const { host, send } = open();
      send(start(6, cfg, false, 200));
      const error = await until(() => host.errors(6)[0], 'the error');
      expect(error.message).toMatch(/^training failed/);
      expect(error.message).toMatch(/out of memory/);
      expect(host.recovered).toHaveLength(1);
      const count = host.snapshots(6).length;
      await sleep(150);
      expect(host.snapshots(6)).toHaveLength(count);
      expect(host.started(6)).toHaveLength(1);

      send(start(7, cfg));
      await host.done(7);
      expect(host.snapshots(7).flatMap((s) => s.ts)).toEqual(loggedSteps(cfg.T, cfg.logEvery));
    });
  });
});
