import { beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../src/sim/params';
import { SWEEP_FIELDS, type SweepGrid, type SweepTrace, sweepCells, sweepKey, sweepRunCount } from '../src/sim/sweep';
import { type SweepEvent, type SweepState, dispatchSweep, initialSweep, reduceSweep, useSweep } from '../src/state/sweep';
import { SWEEP_FIXTURE_CONFIG, SWEEP_FIXTURE_GRID, fixtureSweepTrace } from './support/sweep-fixture';

const base: Config = SWEEP_FIXTURE_CONFIG;
const grid: SweepGrid = SWEEP_FIXTURE_GRID;
const key = sweepKey(base);
const width = sweepRunCount(grid) * SWEEP_FIELDS.length;

/** A real computed map, cut into the chunks a sweep worker streams. */
let full: SweepTrace;
beforeAll(async () => {
  full = await fixtureSweepTrace();
});
const rowsOf = (from: number, to: number) => full.rows.slice(from * width, to * width);
const progress = (from: number, to: number, over: Partial<Extract<SweepEvent, { type: 'progress' }>> = {}): SweepEvent => ({
  type: 'progress',
  t: full.ts[to - 1],
  T: base.T,
  done: to === full.ts.length,
  ts: full.ts.slice(from, to),
  rows: rowsOf(from, to),
  runStepsPerSecond: 1000 + to,
  at: 5000 + to,
  ...over,
});
const run = (events: SweepEvent[], from: SweepState = initialSweep) => events.reduce(reduceSweep, from);
const queued: SweepEvent = { type: 'queued', key, base, grid };
const started: SweepEvent = { type: 'started', backend: 'wasm', at: 1000 };

describe('reduceSweep', () => {
  it('queued: an empty map of the grid for these parameters, waiting', () => {
    const s = run([queued]);
    expect(s).toMatchObject({ key, status: 'waiting', t: 0, T: base.T, source: 'live', engine: null, wallMs: null, error: null, startedAt: null });
    expect(s.trace).toMatchObject({ grid, base, ts: [] });
    expect(s.trace!.rows.length).toBe(0);
  });

  it('queued forgets the map before it, whatever its state', () => {
    const other = { ...base, eta: 0.3 };
    const before = run([queued, started, progress(0, 2), { type: 'error', message: 'x' }]);
    const s = reduceSweep(before, { type: 'queued', key: sweepKey(other), base: other, grid });
    expect(s).toEqual({ ...initialSweep, key: sweepKey(other), T: other.T, trace: { grid, base: other, ts: [], rows: new Float32Array(0) } });
  });

  it('started: running, on the backend the worker reports, from that moment', () => {
    const s = run([queued, started]);
    expect(s).toMatchObject({ status: 'running', engine: 'wasm', startedAt: 1000 });
    expect(s.trace!.ts).toEqual([]);
  });

  it('progress appends the rows, moves t and the rate, and the map grows step by step', () => {
    const cut = [0, 2, 5, full.ts.length];
    let s = run([queued, started]);
    for (let k = 1; k < cut.length; k++) {
      const before = s;
      s = reduceSweep(s, progress(cut[k - 1], cut[k]));
      expect(s.trace!.ts).toEqual(full.ts.slice(0, cut[k]));
      expect(Array.from(s.trace!.rows)).toEqual(Array.from(rowsOf(0, cut[k])));
      expect(s.t).toBe(full.ts[cut[k] - 1]);
      expect(s.runStepsPerSecond).toBe(1000 + cut[k]);
      // a new state, the old one untouched (zustand subscribers compare by reference)
      expect(before.trace!.ts).toEqual(full.ts.slice(0, cut[k - 1]));
      if (k < cut.length - 1) expect(s).toMatchObject({ status: 'running', wallMs: null });
    }
    // the joined chunks are the map computed in one go
    expect(sweepCells(s.trace!)).toEqual(sweepCells(full));
  });

  it('a progress without logged steps moves t only', () => {
    const s0 = run([queued, started, progress(0, 2)]);
    const s = reduceSweep(s0, { type: 'progress', t: 7, T: base.T, done: false, ts: [], rows: new Float32Array(0), runStepsPerSecond: 12, at: 3000 });
    expect(s.trace).toBe(s0.trace);
    expect(s.t).toBe(7);
    expect(s.runStepsPerSecond).toBe(12);
  });

  it('done: the whole map, with its wall time from the start', () => {
    const s = run([queued, started, progress(0, 3), progress(3, full.ts.length, { at: 4321 })]);
    expect(s).toMatchObject({ status: 'done', t: base.T, T: base.T, wallMs: 4321 - 1000, source: 'live', engine: 'wasm' });
    expect(Array.from(s.trace!.rows)).toEqual(Array.from(full.rows));
  });

  it('done without a recorded start keeps no wall time', () => {
    const s = run([queued, progress(0, full.ts.length)]);
    expect(s.status).toBe('done');
    expect(s.wallMs).toBeNull();
  });

  it('progress with nothing queued is ignored', () => {
    expect(reduceSweep(initialSweep, progress(0, 2))).toBe(initialSweep);
  });

  it('pauses only while running, resumes only while paused', () => {
    const running = run([queued, started, progress(0, 2)]);
    const paused = reduceSweep(running, { type: 'paused' });
    expect(paused.status).toBe('paused');
    expect(paused.trace).toBe(running.trace);
    expect(reduceSweep(paused, { type: 'paused' })).toBe(paused);
    expect(reduceSweep(paused, { type: 'resumed' }).status).toBe('running');
    expect(reduceSweep(running, { type: 'resumed' })).toBe(running);
    // neither a waiting, a finished nor a failed map pauses or resumes
    for (const s of [run([queued]), run([queued, started, progress(0, full.ts.length)]), run([queued, started, { type: 'error', message: 'x' }])]) {
      expect(reduceSweep(s, { type: 'paused' })).toBe(s);
      expect(reduceSweep(s, { type: 'resumed' })).toBe(s);
    }
  });

  it('a chunk that arrives while paused keeps it paused; the last one finishes it', () => {
    const paused = run([queued, started, progress(0, 2), { type: 'paused' }]);
    const more = reduceSweep(paused, progress(2, 4));
    expect(more.status).toBe('paused');
    expect(more.trace!.ts).toEqual(full.ts.slice(0, 4));
    expect(reduceSweep(more, progress(4, full.ts.length)).status).toBe('done');
  });

  it('precomputed replaces everything: the map, its source, engine and wall time', () => {
    const before = run([queued, started, progress(0, 2), { type: 'paused' }]);
    const s = reduceSweep(before, { type: 'precomputed', key, trace: full, engine: 'wasm, Node', wallMs: 2500 });
    expect(s).toEqual({
      ...initialSweep,
      key,
      trace: full,
      status: 'done',
      t: base.T,
      T: base.T,
      source: 'precomputed',
      engine: 'wasm, Node',
      wallMs: 2500,
    });
    // and a later live computation starts from scratch
    expect(reduceSweep(s, queued)).toMatchObject({ source: 'live', status: 'waiting', engine: null, wallMs: null });
  });

  it('error keeps the partial map and says why', () => {
    const partial = run([queued, started, progress(0, 3)]);
    const s = reduceSweep(partial, { type: 'error', message: 'out of memory' });
    expect(s).toMatchObject({ status: 'error', error: 'out of memory', t: partial.t });
    expect(s.trace).toBe(partial.trace);
    expect(s.trace!.ts).toEqual(full.ts.slice(0, 3));
  });
});

describe('the sweep store', () => {
  it('dispatchSweep applies reduceSweep to the store', () => {
    useSweep.setState(initialSweep, true);
    dispatchSweep(queued);
    dispatchSweep(started);
    dispatchSweep(progress(0, full.ts.length));
    expect(useSweep.getState()).toEqual(run([queued, started, progress(0, full.ts.length)]));
    useSweep.setState(initialSweep, true);
  });
});
