import { beforeAll, describe, expect, it } from 'vitest';
import { runPairSync } from '../src/engine/experiment';
import { type RunName, runSpecs } from '../src/sim/runs';
import { BatchTrainer } from '../src/engine/trainer';
import { generateDataset } from '../src/sim/data';
import type { Config } from '../src/sim/params';
import { type RunTrace, decodeRun, loggedSteps } from '../src/sim/trace';
import { latestOf } from '../src/state/playback';
import { divergedAtOf } from '../src/state/selectors';
import { type TrainingState, initialTraining, reduceTraining } from '../src/state/training';
import { emptyTrace } from '../src/state/traces';
import type { ClientEvent, DecodedSnapshot } from '../src/worker/client';
import type { BackendInfo } from '../src/worker/protocol';
import { SMALL, withConfig } from './support/configs';
import { handTrace as trace, traceRow } from './support/traces';
import { switchBackend } from './support/tf';

const CFG: Config = withConfig({ T: 30, logEvery: 5 }, SMALL);
const RUNS: RunName[] = ['gd', 'gdm'];

/** Where each run diverged, as the page derives it. */
const divergedAll = (state: TrainingState) => Object.fromEntries(state.runNames.map((name) => [name, divergedAtOf(state, name)]));

type Snapshot = Extract<ClientEvent, { type: 'snapshot' }>;

/** A real pair of runs, read back in uneven chunks and decoded per run, as the client hands them over. */
function realChunks(cfg: Config, chunkSteps: number[]): Omit<DecodedSnapshot, 'runId' | 'paused'>[] {
  const data = generateDataset(cfg);
  const trainer = new BatchTrainer(data, runSpecs(cfg), cfg);
  try {
    const out: Omit<DecodedSnapshot, 'runId' | 'paused'>[] = [];
    for (const steps of chunkSteps) {
      trainer.advance(steps);
      const { ts, packed } = trainer.collectSync();
      const traces = Object.fromEntries(
        trainer.runs.map((run, k) => [run.name, decodeRun(packed, ts, k, trainer.runs.length, data.m, data.train.small)]),
      );
      out.push({ t: trainer.t, done: trainer.done, traces, stepsPerSecond: 1000 + out.length });
    }
    return out;
  } finally {
    trainer.dispose();
  }
}

const started = (runId: number, config: Config = CFG, reused: RunName[] = []): ClientEvent => ({
  type: 'started',
  runId,
  config,
  runs: RUNS,
  lineup: RUNS.map((id) => ({ id })),
  reused,
  small: new Uint8Array(CFG.N),
  examples: [],
});

const snapshot = (runId: number, part: Omit<DecodedSnapshot, 'runId' | 'paused'>, paused = false): Snapshot => ({
  type: 'snapshot',
  runId,
  paused,
  ...part,
});

/** A hand-made trace: one row per t, with the given losses and cMax, m filters and N examples of detail. */
function handTrace(ts: number[], loss: number[], cMax: number[] = ts.map(() => 1), m = 2, N = 3): RunTrace {
  const K = ts.length;
  return trace(ts.map((t, k) => traceRow(t, { loss: loss[k], cMax: cMax[k] })), {
    c: Array.from({ length: K * m }, (_, i) => i),
    gLarge: new Float32Array(K * m),
    gSmall: new Float32Array(K * m),
    gStep: new Float32Array(K * m),
    signal: Array.from({ length: K * N }, (_, i) => i),
    noise: new Float32Array(K * N),
  });
}

const reduceAll = (events: ClientEvent[], from: TrainingState = initialTraining) => events.reduce(reduceTraining, from);

const BACKEND: BackendInfo = { name: 'wasm', renderer: null, float32: null, reason: 'test' };

describe('reduceTraining', () => {
  let chunks: ReturnType<typeof realChunks>;
  beforeAll(async () => {
    await switchBackend('wasm');
    chunks = realChunks(CFG, [1, 9, 3, 1, 100]);
  });

  it('the real chunks cover every logged step once (the premise of the tests below)', () => {
    expect(chunks.flatMap((c) => c.traces.gd.rows.map((r) => r.t))).toEqual(loggedSteps(CFG.T, CFG.logEvery));
    expect(chunks.map((c) => c.done)).toEqual([false, false, false, false, true]);
    // one step from t = 13 logs nothing: an empty snapshot
    expect(chunks[3].traces.gd.rows).toEqual([]);
  });

  it('started resets the traces, the step and any error, and records the runs', () => {
    const dirty: TrainingState = {
      ...initialTraining,
      runId: 3,
      status: 'error',
      error: 'boom',
      t: 77,
      traces: { gd: handTrace([0], [1]) },
      backend: BACKEND,
      stepsPerSecond: 12,
    };
    const state = reduceTraining(dirty, started(4, CFG, ['gd']));
    expect(state).toMatchObject({
      runId: 4,
      config: CFG,
      runNames: RUNS,
      reused: ['gd'],
      status: 'starting',
      t: 0,
      error: null,
      backend: BACKEND,
    });
    expect(Object.keys(state.traces)).toEqual(RUNS);
    for (const name of RUNS) expect(state.traces[name]).toEqual(emptyTrace());
    // pure: the old state is untouched
    expect(dirty.traces.gd!.rows).toHaveLength(1);
    expect(dirty.runId).toBe(3);
  });

  it('snapshots append rows in order and end up with the whole run', () => {
    let state = reduceTraining(initialTraining, started(1));
    const seen: number[] = [];
    for (const [k, part] of chunks.entries()) {
      const before = state;
      state = reduceTraining(state, snapshot(1, part));
      expect(state.t).toBe(part.t);
      expect(state.status).toBe(k === chunks.length - 1 ? 'done' : 'running');
      expect(state.stepsPerSecond).toBe(part.stepsPerSecond);
      seen.push(...part.traces.gd.rows.map((r) => r.t));
      expect(state.traces.gd!.rows.map((r) => r.t)).toEqual(seen);
      // immutable: the previous state's traces were not extended in place
      expect(before.traces.gd!.rows.length).toBe(seen.length - part.traces.gd.rows.length);
    }
    const whole = runPairSync(CFG, generateDataset(CFG));
    for (const name of RUNS) {
      expect(state.traces[name]!.rows).toEqual(whole[name].rows);
      expect(state.traces[name]!.detail).toEqual(whole[name].detail);
      expect(divergedAtOf(state, name)).toBeNull();
    }
  });

  it('drops snapshots of other runs, and snapshots before any start', () => {
    expect(reduceTraining(initialTraining, snapshot(1, chunks[0]))).toBe(initialTraining);
    const s1 = reduceAll([started(1), snapshot(1, chunks[0]), started(2)]);
    expect(reduceTraining(s1, snapshot(1, chunks[1]))).toBe(s1);
    const s2 = reduceTraining(s1, snapshot(2, chunks[0]));
    expect(s2.runId).toBe(2);
    expect(s2.traces.gd!.rows.map((r) => r.t)).toEqual([0]);
  });

  it('status follows the snapshot: paused, running, done', () => {
    let state = reduceAll([started(1), snapshot(1, chunks[0], true)]);
    expect(state.status).toBe('paused');
    state = reduceTraining(state, snapshot(1, chunks[1], false));
    expect(state.status).toBe('running');
    state = reduceTraining(state, snapshot(1, chunks[2], true));
    expect(state.status).toBe('paused');
    // done wins over paused
    state = reduceTraining(state, snapshot(1, chunks.at(-1)!, true));
    expect(state.status).toBe('done');
  });

  it('keeps the last known speed when a snapshot has none', () => {
    const state = reduceAll([started(1), snapshot(1, chunks[0]), snapshot(1, { ...chunks[1], stepsPerSecond: null })]);
    expect(state.stepsPerSecond).toBe(chunks[0].stepsPerSecond);
  });

  it('marks the first logged step whose loss or feature is not finite, per run', () => {
    const finite = (ts: number[]) => handTrace(ts, ts.map(() => 0.5));
    const part = (ts: number[], gdm: RunTrace, t: number, done = false): Omit<DecodedSnapshot, 'runId' | 'paused'> => ({
      t,
      done,
      stepsPerSecond: null,
      traces: { gd: finite(ts), gdm },
    });
    let state = reduceAll([started(1), snapshot(1, part([0, 10], finite([0, 10]), 11))]);
    expect(divergedAll(state)).toEqual({ gd: null, gdm: null });
    state = reduceTraining(state, snapshot(1, part([20, 30], handTrace([20, 30], [0.4, Number.NaN]), 31)));
    expect(divergedAll(state)).toEqual({ gd: null, gdm: 30 });
    // later rows keep the first divergence
    state = reduceTraining(state, snapshot(1, part([40], handTrace([40], [Number.POSITIVE_INFINITY]), 41, true)));
    expect(divergedAll(state)).toEqual({ gd: null, gdm: 30 });
    expect(state.traces.gdm!.rows.map((r) => r.t)).toEqual([0, 10, 20, 30, 40]);
    expect(state.traces.gdm!.detail.c).toHaveLength(5 * 2);

    // a non-finite feature counts too
    const byC = reduceAll([started(1), snapshot(1, part([0], handTrace([0], [0.5], [Number.NEGATIVE_INFINITY]), 1))]);
    expect(divergedAtOf(byC, 'gdm')).toBe(0);
  });

  it('a run the worker froze where it diverged: divergedAt and the cause come from the message, a new start clears them', () => {
    const finite = (ts: number[]) => handTrace(ts, ts.map(() => 0.5));
    const diverged = { gdm: { step: 20, kind: 'exploding loss' as const, cause: 'η too large', suggestedEta: 0.1 } };
    let state = reduceAll([started(1), snapshot(1, { t: 21, done: false, stepsPerSecond: null, traces: { gd: finite([0, 10]), gdm: finite([0, 10]) } })]);
    state = reduceTraining(state, snapshot(1, { t: 41, done: true, stepsPerSecond: null, traces: { gd: finite([20, 30]), gdm: finite([]) }, diverged }));
    expect(divergedAll(state)).toEqual({ gd: null, gdm: 20 });
    expect(state.diverged).toEqual(diverged);
    expect(state.status).toBe('done');
    expect(state.traces.gdm!.rows.map((r) => r.t)).toEqual([0, 10]);
    expect(state.traces.gd!.rows.map((r) => r.t)).toEqual([0, 10, 20, 30]);
    state = reduceTraining(state, started(2));
    expect(state.diverged).toEqual({});
    expect(divergedAll(state)).toEqual({ gd: null, gdm: null });
  });

  it('the latest step: a run frozen where it diverged does not hold the others back', () => {
    const traces = { gd: handTrace([0, 10, 20, 30], [1, 1, 1, 1]), gdm: handTrace([0], [1]) };
    const frozen = { step: 10, kind: 'not finite' as const, cause: '', suggestedEta: 0.1 };
    expect(latestOf(traces)).toBe(0);
    expect(latestOf(traces, { gdm: frozen })).toBe(30);
    expect(latestOf(traces, { gd: frozen, gdm: frozen })).toBe(30);
    expect(latestOf({})).toBe(0);
  });

  it('incidents: a backend that failed mid-run and a restarted worker are recorded in words, not as errors', () => {
    let state = reduceAll([{ type: 'ready', backend: BACKEND }, started(1)]);
    expect(state.incident).toBeNull();
    const lost: BackendInfo = { ...BACKEND, reason: 'webgl failed mid-run', incident: 'webgl: the WebGL context was lost at step 40; switched to wasm' };
    state = reduceTraining(state, { type: 'backend', backend: lost });
    expect(state.incident).toBe(lost.incident);
    // a later backend message without an incident (the probe's report) keeps it
    state = reduceTraining(state, { type: 'backend', backend: BACKEND });
    expect(state.incident).toBe(lost.incident);
    state = reduceTraining(state, { type: 'restarted', message: 'The training worker stopped answering' });
    expect(state).toMatchObject({ incident: 'The training worker stopped answering', status: 'starting', error: null });
  });

  it('error sets status "error" with the message; ready and backend set the backend', () => {
    let state = reduceAll([{ type: 'ready', backend: BACKEND }, started(1), snapshot(1, chunks[0])]);
    expect(state.backend).toEqual(BACKEND);
    state = reduceTraining(state, { type: 'error', runId: 1, message: 'training failed: lost' });
    expect(state.status).toBe('error');
    expect(state.error).toBe('training failed: lost');
    expect(state.traces.gd!.rows).toHaveLength(1);
    const switched: BackendInfo = { name: 'cpu', renderer: null, float32: null, reason: 'wasm failed' };
    state = reduceTraining(state, { type: 'backend', backend: switched });
    expect(state.backend).toEqual(switched);
    expect(reduceTraining(initialTraining, { type: 'error', runId: null, message: 'no worker' })).toMatchObject({
      status: 'error',
      error: 'no worker',
    });
  });
});
