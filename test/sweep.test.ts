import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runPairSync } from '../src/engine/experiment';
import { SweepTrainer, blockRows, runSweepSync } from '../src/engine/sweep';
import { generateDataset } from '../src/sim/data';
import type { Config } from '../src/sim/params';
import { referenceRun } from '../src/sim/reference';
import {
  SWEEP_FIELDS,
  type SweepGrid,
  type SweepTrace,
  appendSweepRows,
  cellConfig,
  checkGrid,
  loggedSweepSteps,
  sweepCells,
  sweepKey,
  sweepRunCount,
  sweepRunIndex,
  summarizeMap,
} from '../src/sim/sweep';
import { decodeSweep, encodeSweep } from '../src/sim/sweep-file';
import type { FromSweepWorker } from '../src/worker/sweep-protocol';
import { SweepSession } from '../src/worker/sweep-session';
import { SMALL, withConfig } from './support/configs';
import { until } from './support/session-host';
import { switchBackend } from './support/tf';

const GRID: SweepGrid = { gammas: [0.5, 0.9, 0.99], betas: [0.1, 0.3] };
const BASE: Config = withConfig({ T: 40, eta: 0.5, beta: 0.2, gamma: 0.7 }, SMALL);

beforeAll(() => switchBackend('cpu'));

describe('sweep layout', () => {
  it('puts GD first, then GD+M per gamma, data set by data set', () => {
    expect(sweepRunCount(GRID)).toBe(8);
    expect(sweepRunIndex(GRID, 0, null)).toBe(0);
    expect(sweepRunIndex(GRID, 0, 2)).toBe(3);
    expect(sweepRunIndex(GRID, 1, null)).toBe(4);
    expect(sweepRunIndex(GRID, 1, 0)).toBe(5);
  });

  it('keys a map by every parameter except gamma and beta', () => {
    expect(sweepKey(cellConfig(BASE, 0.1, 0.2))).toBe(sweepKey(cellConfig(BASE, 0.99, 3)));
    expect(sweepKey(BASE)).not.toBe(sweepKey({ ...BASE, eta: 0.4 }));
    expect(sweepKey(BASE)).not.toBe(sweepKey({ ...BASE, momentumForm: 'heavyball' }));
  });

  it('logs about 30 times whatever T, always t = 0 and t = T', () => {
    for (const T of [1, 29, 30, 1500, 20000]) {
      const ts = loggedSweepSteps(T);
      expect(ts[0]).toBe(0);
      expect(ts.at(-1)).toBe(T);
      expect(ts.length).toBeLessThanOrEqual(32);
    }
  });

  it('refuses grids that are empty, unordered or out of bounds', () => {
    const bounds = { gamma: [0, 0.999], beta: [0, 5] } as { gamma: [number, number]; beta: [number, number] };
    expect(checkGrid(GRID, bounds)).toBeNull();
    expect(checkGrid({ ...GRID, gammas: [] }, bounds)).toMatch(/gamma/);
    expect(checkGrid({ ...GRID, gammas: [0.9, 0.5] }, bounds)).toMatch(/increase/);
    expect(checkGrid({ ...GRID, betas: [0.1, 6] }, bounds)).toMatch(/beta/);
    expect(checkGrid({ ...GRID, betas: [Number.NaN] }, bounds)).toMatch(/beta/);
  });
});

function sweepTrace(opts: { blockRows?: number } = {}): SweepTrace {
  const before = tf.memory().numTensors;
  const trace = runSweepSync(BASE, GRID, { ...opts, chunk: 7 });
  expect(tf.memory().numTensors).toBe(before);
  return trace;
}

describe('the batched sweep', () => {
  let trace: SweepTrace;
  beforeAll(() => {
    trace = sweepTrace();
  });

  it('logs every cell at every logged step', () => {
    expect(trace.ts).toEqual(loggedSweepSteps(BASE.T));
    expect(trace.rows.length).toBe(trace.ts.length * sweepRunCount(GRID) * SWEEP_FIELDS.length);
    expect(trace.rows.every(Number.isFinite)).toBe(true);
  });

  it('gives the same numbers as every cell run one by one (the explainer engine, GD and GD+M per cell)', () => {
    for (const [b, beta] of GRID.betas.entries()) {
      for (const [g, gamma] of GRID.gammas.entries()) {
        const cell = cellConfig({ ...BASE, logEvery: 1 }, gamma, beta);
        const pair = runPairSync(cell, generateDataset(cell));
        for (const [step, t] of trace.ts.entries()) {
          const got = sweepCells(trace, step)[b][g];
          for (const [name, run] of [['gd', pair.gd], ['gdm', pair.gdm]] as const) {
            const row = run.rows.find((r) => r.t === t)!;
            const cMax = Math.max(...run.detail.c.subarray(run.rows.indexOf(row) * cell.m, (run.rows.indexOf(row) + 1) * cell.m));
            // 0/1 counts: the same examples on the same side of zero
            expect(got[name].trainErr, `${name} trainErr at t=${t} gamma=${gamma} beta=${beta}`).toBeCloseTo(row.trainErr, 6);
            expect(got[name].testErr).toBeCloseTo(row.testErr, 6);
            expect(got[name].testErrSmall).toBeCloseTo(row.testErrSmall, 6);
            expect(got[name].testErrLarge).toBeCloseTo(row.testErrLarge, 6);
            expect(got[name].cMax).toBeCloseTo(cMax, 4);
          }
        }
      }
    }
  });

  it('agrees with the float64 reference, cell by cell', () => {
    for (const [b, beta] of GRID.betas.entries()) {
      const data = generateDataset(cellConfig(BASE, 0, beta));
      const runs = [{ gamma: 0, g: null }, ...GRID.gammas.map((gamma, g) => ({ gamma, g }))];
      for (const { gamma, g } of runs) {
        const ref = referenceRun(data, { eta: BASE.eta, gamma, form: BASE.momentumForm }, BASE.T, 1);
        for (const [step, t] of trace.ts.entries()) {
          const cell = sweepCells(trace, step)[b][g ?? 0];
          const got = g === null ? cell.gd : cell.gdm;
          const want = ref[t];
          expect(got.testErr, `gamma=${gamma} beta=${beta} t=${t}`).toBeCloseTo(want.testErr, 6);
          expect(got.trainErr).toBeCloseTo(want.trainErr, 6);
          expect(got.cMax).toBeCloseTo(Math.max(...want.c), 3);
        }
      }
    }
  });

  it('over S seeds: every cell is the mean of the single-seed maps, and counts the seeds with a gap > mu/4 (half the largest possible gap)', () => {
    const S = 3;
    const multi = runSweepSync({ ...BASE, seeds: S, mu: 0.5 }, GRID);
    expect(multi.rows.length).toBe(multi.ts.length * sweepRunCount(GRID, S) * SWEEP_FIELDS.length);
    const singles = Array.from({ length: S }, (_, s) => sweepCells(runSweepSync({ ...BASE, seed: BASE.seed + s, mu: 0.5 }, GRID)));
    const cells = sweepCells(multi);
    cells.forEach((row, b) =>
      row.forEach((cell, g) => {
        const parts = singles.map((one) => one[b][g]);
        for (const f of SWEEP_FIELDS) {
          expect(cell.gd[f]).toBeCloseTo(parts.reduce((a, p) => a + p.gd[f], 0) / S, 6);
          expect(cell.gdm[f]).toBeCloseTo(parts.reduce((a, p) => a + p.gdm[f], 0) / S, 6);
        }
        expect(cell.seeds).toBe(S);
        expect(cell.seedsWithGap).toBe(parts.filter((p) => p.gap > 0.125).length);
      }),
    );
    // the seeds differ (not one data set three times)
    expect(new Set(singles.map((one) => one[0][0].gd.testErr)).size + new Set(singles.map((one) => one[1][2].gdm.cMax)).size).toBeGreaterThan(2);
  });

  it('does not depend on how the runs are cut into blocks', () => {
    const oneRunPerBlock = sweepTrace({ blockRows: BASE.m });
    expect(Array.from(oneRunPerBlock.rows)).toEqual(Array.from(trace.rows));
  });

  it('streams in chunks that join to the whole, and holds no more data after a chunk than after the first', () => {
    // the backend's own count: the steps' kernels run outside the engine's books (engine/kernels.ts)
    const before = tf.engine().backend.numDataIds();
    const trainer = new SweepTrainer(BASE, GRID);
    const held: number[] = [];
    let joined: SweepTrace = { grid: GRID, base: BASE, ts: [], rows: new Float32Array(0) };
    try {
      while (!trainer.done) {
        trainer.advance(3);
        const { ts, rows } = trainer.collectSync();
        joined = appendSweepRows(joined, ts, rows);
        held.push(tf.engine().backend.numDataIds());
      }
    } finally {
      trainer.dispose();
    }
    expect(new Set(held).size).toBe(1);
    expect(tf.engine().backend.numDataIds()).toBe(before);
    expect(joined.ts).toEqual(trace.ts);
    expect(Array.from(joined.rows)).toEqual(Array.from(trace.rows));
  });

  it('survives a round trip through the precomputed file, diverged cells included', () => {
    const withNaN = { ...trace, rows: trace.rows.map((v, i) => (i === 3 ? Number.NaN : v)) };
    const file = JSON.parse(JSON.stringify(encodeSweep(withNaN, { backend: 'cpu', tfjs: 'x', runtime: 'y' }, 1)));
    const back = decodeSweep(file)!;
    expect(back.ts).toEqual(trace.ts);
    expect(Number.isNaN(back.rows[3])).toBe(true);
    expect(Array.from(back.rows.subarray(4))).toEqual(Array.from(trace.rows.subarray(4)));
    expect(decodeSweep({ ...file, rows: file.rows.slice(1) })).toBeNull();
    expect(decodeSweep({ ...file, format: 2 })).toBeNull();
    expect(decodeSweep(null)).toBeNull();
  });

  it('trains a whole data set per block at the default size, fewer runs per block at the largest', () => {
    // the default grid's data sets are one block each on a GPU; the biggest sizes are cut
    expect(blockRows('webgl', 20, 5, 500, 2000)).toBeGreaterThanOrEqual(7 * 20);
    expect(blockRows('webgl', 64, 10, 2000, 10000)).toBeLessThan(7 * 64);
    expect(blockRows('wasm', 20, 5, 500, 2000)).toBeGreaterThanOrEqual(7 * 20);
    expect(blockRows('wasm', 64, 10, 2000, 10000)).toBe(64);
  });
});

describe('the sweep session', () => {
  function open() {
    const messages: FromSweepWorker[] = [];
    const session = new SweepSession((m) => messages.push(m), () => tf.getBackend());
    return { messages, session };
  }
  const progress = (messages: FromSweepWorker[], sweepId: number) =>
    messages.filter((m): m is Extract<FromSweepWorker, { type: 'progress' }> => m.type === 'progress' && m.sweepId === sweepId);

  it('streams progress in order to the end, and the rows are the batched sweep', async () => {
    const { messages, session } = open();
    session.handle({ type: 'start', sweepId: 1, base: BASE, grid: GRID });
    await until(() => progress(messages, 1).some((m) => m.done), 'the sweep to finish');
    const parts = progress(messages, 1);
    const ts = parts.flatMap((m) => m.ts);
    expect(ts).toEqual(loggedSweepSteps(BASE.T));
    expect(parts.map((m) => m.t)).toEqual([...parts.map((m) => m.t)].sort((a, b) => a - b));
    const rows = parts.reduce<SweepTrace>((acc, m) => appendSweepRows(acc, m.ts, m.rows), { grid: GRID, base: BASE, ts: [], rows: new Float32Array(0) });
    expect(Array.from(rows.rows)).toEqual(Array.from(sweepTrace().rows));
    session.dispose();
  });

  it('a new sweep cancels the old one: nothing more of it arrives', async () => {
    const { messages, session } = open();
    const tensors = tf.memory().numTensors;
    session.handle({ type: 'start', sweepId: 1, base: { ...BASE, T: 400 }, grid: GRID });
    await until(() => progress(messages, 1).length > 0, 'the first progress');
    session.handle({ type: 'start', sweepId: 2, base: BASE, grid: GRID });
    const seen = progress(messages, 1).length;
    await until(() => progress(messages, 2).some((m) => m.done), 'the second sweep to finish');
    expect(progress(messages, 1).length).toBe(seen);
    expect(progress(messages, 1).some((m) => m.done)).toBe(false);
    expect(tf.memory().numTensors).toBe(tensors);
    session.dispose();
  });

  it('pause holds between chunks, resume goes on, cancel frees everything', async () => {
    const { messages, session } = open();
    const tensors = tf.memory().numTensors;
    session.handle({ type: 'start', sweepId: 3, base: { ...BASE, T: 400 }, grid: GRID });
    await until(() => progress(messages, 3).length > 0, 'the first progress');
    session.handle({ type: 'pause', sweepId: 3 });
    await new Promise((r) => setTimeout(r, 300));
    const held = progress(messages, 3).length;
    await new Promise((r) => setTimeout(r, 300));
    expect(progress(messages, 3).length).toBe(held);
    session.handle({ type: 'resume', sweepId: 3 });
    await until(() => progress(messages, 3).length > held, 'progress after resume');
    session.handle({ type: 'cancel', sweepId: 3 });
    await new Promise((r) => setTimeout(r, 200));
    expect(tf.memory().numTensors).toBe(tensors);
    expect(progress(messages, 3).some((m) => m.done)).toBe(false);
  });

  it('reports a bad configuration or grid instead of training it', () => {
    const { messages, session } = open();
    session.handle({ type: 'start', sweepId: 4, base: { ...BASE, N: -5 }, grid: GRID });
    session.handle({ type: 'start', sweepId: 5, base: BASE, grid: { gammas: [2], betas: [0.1] } });
    expect(messages).toEqual([
      { type: 'error', sweepId: 4, message: expect.stringContaining('N') },
      { type: 'error', sweepId: 5, message: expect.stringContaining('gamma') },
    ]);
  });
});

describe('the map in words', () => {
  it('counts the cells where momentum wins and the smallest gamma that wins per beta', () => {
    const m = (testErr: number) => ({ trainErr: 0, testErr, testErrSmall: 0, testErrLarge: 0, cMax: 1 });
    const cell = (gamma: number, beta: number, gd: number, gdm: number) => ({ gamma, beta, gd: m(gd), gdm: m(gdm), gap: gd - gdm, seeds: 1, seedsWithGap: 0 });
    const cells = [
      [cell(0.5, 0.05, 0.15, 0.15), cell(0.9, 0.05, 0.15, 0.12), cell(0.99, 0.05, 0.15, 0.01)],
      [cell(0.5, 0.1, 0.15, 0.14), cell(0.9, 0.1, 0.15, 0.0), cell(0.99, 0.1, 0.15, 0.0)],
      [cell(0.5, 0.2, 0.0, 0.0), cell(0.9, 0.2, 0.0, 0.0), cell(0.99, 0.2, 0.0, Number.NaN)],
    ];
    expect(summarizeMap(cells)).toEqual({
      cells: 9,
      helped: 3,
      minGamma: [
        { beta: 0.05, gamma: 0.99 },
        { beta: 0.1, gamma: 0.9 },
        { beta: 0.2, gamma: null },
      ],
    });
  });
});
