/**
 * The precomputed default run: what `npm run precompute` writes decodes, through the page's own
 * `decodeRun`, to exactly the rows `runPairSync` (the CLI's code path) computes; the training store
 * takes it as a finished run that any live run replaces; the page's loader falls back on failure.
 */
import { trailRows } from '../src/sim/trail';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { computePrecomputed } from '../src/cli/precompute';
import { runPairSync } from '../src/engine/experiment';
import { generateDataset } from '../src/sim/data';
import { exampleViews } from '../src/sim/examples';
import { DEFAULT_CONFIG } from '../src/sim/params';
import {
  PRECOMPUTED_FIRST,
  PRECOMPUTED_HEADER,
  decodeFirstView,
  decodePrecomputed,
  decodeRows,
  encodeFirstView,
  encodeRows,
  encodeSeeds,
  decodeSeeds,
  withFullDetail,
} from '../src/sim/precomputed';
import { SEED_FIELDS, finalSeedValue } from '../src/sim/seeds';
import { loggedSteps } from '../src/sim/trace';
import { loadPrecomputed, loadPrecomputedDetail } from '../src/state/precomputed';
import { PRECOMPUTED_RUN_ID, initialTraining, reduceTraining } from '../src/state/training';
import { SMALL, withConfig } from './support/configs';
import { switchBackend } from './support/tf';

const CFG = withConfig({ T: 45, logEvery: 10 }, SMALL);

beforeAll(() => switchBackend('wasm'));
afterEach(() => vi.unstubAllGlobals());

/** What the page gets: the header through JSON, the rows through the little-endian bytes. */
async function roundTrip(config = CFG) {
  const { header, rows } = await computePrecomputed(config);
  const bytes = encodeRows(rows, header.runs);
  const first = encodeFirstView(rows, header, header.first.detailRows);
  const headerJson = JSON.parse(JSON.stringify(header)) as unknown;
  return { header, bytes, first, headerJson, decoded: decodePrecomputed(headerJson, bytes.slice().buffer) };
}

describe('precomputed traces', () => {
  it('every seed\'s summary: the focus seed\'s from its rows, each other seed the CLI\'s run of that seed; the file round-trips', async () => {
    const cfg = withConfig({ seeds: 3, seed: 4 }, CFG);
    const { header, rows, seeds } = await computePrecomputed(cfg);
    expect(header.seeds?.list).toEqual([4, 5, 6]);
    const bytes = encodeSeeds(seeds, header.runs);
    expect(bytes.byteLength).toBe(header.seeds!.bytes);
    const back = decodeSeeds(bytes.slice().buffer, JSON.parse(JSON.stringify(header)));
    expect(back.map((s) => s.seed)).toEqual([4, 5, 6]);
    for (const [k, s] of back.entries()) {
      const want = runPairSync({ ...cfg, seed: s.seed }, generateDataset({ ...cfg, seed: s.seed }));
      for (const name of header.runs) {
        expect(s.summary[name]).toEqual(seeds[k].summary[name]);
        expect(s.summary[name]!.length).toBe(header.ts.length * SEED_FIELDS.length);
        const last = want[name].rows.at(-1)!;
        expect(finalSeedValue(s.summary[name]!, 'testErr'), `${name} seed ${s.seed}`).toBeCloseTo(last.testErr, 6);
        expect(finalSeedValue(s.summary[name]!, 'loss'), `${name} seed ${s.seed}`).toBeCloseTo(last.loss, 5);
      }
    }
    // the focus seed's summary is its own rows'
    expect(rows.gd.length / header.rowLength).toBe(header.ts.length);
    expect(finalSeedValue(seeds[0].summary.gdm!, 'cMax')).not.toBe(finalSeedValue(seeds[1].summary.gdm!, 'cMax'));
  });

  it('encode -> decode gives the rows runPairSync computes, and the data panel examples', async () => {
    const { header, bytes, decoded } = await roundTrip();
    const data = generateDataset(CFG);
    const want = runPairSync(CFG, data);
    expect(header.runs).toEqual(['gd', 'gdm']);
    expect(bytes.byteLength).toBe(header.bytes);
    expect(decoded.header.ts).toEqual(loggedSteps(CFG.T, CFG.logEvery));
    expect(Array.from(decoded.small)).toEqual(Array.from(data.train.small));
    for (const name of header.runs) {
      expect(decoded.traces[name].rows).toEqual(want[name].rows);
      expect(decoded.traces[name].detail).toEqual(want[name].detail);
    }
    expect(decoded.examples).toEqual(exampleViews(data, CFG.alpha, CFG.beta));
    expect(header.engine.backend).toBe('wasm');
    expect(header.engine.tfjs).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('the first view: the same rows as the full file, c_r of every row, the per-example parts of the detail rows; the full file completes it', async () => {
    const { header, bytes, first, headerJson, decoded } = await roundTrip();
    expect(first.byteLength).toBe(header.first.bytes);
    const { detailRows } = header.first;
    // the first and the last row always, the race's trail behind the last, and no more than the extremes of each run add
    expect(detailRows[0]).toBe(0);
    expect(detailRows.at(-1)).toBe(header.ts.length - 1);
    const trail = trailRows(header.ts.map((t) => ({ t })), header.ts.length - 1);
    expect(trail.length).toBeGreaterThan(0);
    for (const k of trail) expect(detailRows).toContain(k);
    expect(detailRows.length).toBeLessThanOrEqual(2 + trail.length + 4 * header.runs.length);
    const view = decodeFirstView(headerJson, first.slice().buffer);
    expect(view.complete).toBe(false);
    expect(view.examples).toEqual(decoded.examples);
    const N = CFG.N;
    for (const name of header.runs) {
      const got = view.traces[name];
      const want = decoded.traces[name];
      // every number a row holds, the small-margin means included, exactly as decodeRun gives them
      expect(got.rows).toEqual(want.rows);
      expect(got.detail.c).toEqual(want.detail.c);
      for (let k = 0; k < header.ts.length; k++) {
        const part = (a: Float32Array) => Array.from(a.subarray(k * N, (k + 1) * N));
        if (detailRows.includes(k)) {
          expect(part(got.detail.signal)).toEqual(part(want.detail.signal));
          expect(part(got.detail.noise)).toEqual(part(want.detail.noise));
        } else {
          expect(part(got.detail.signal).every(Number.isNaN)).toBe(true);
        }
      }
    }
    const full = withFullDetail(view, bytes.slice().buffer);
    expect(full.complete).toBe(true);
    for (const name of header.runs) {
      expect(full.traces[name].rows).toEqual(decoded.traces[name].rows);
      expect(full.traces[name].detail).toEqual(decoded.traces[name].detail);
    }
    expect(() => decodeFirstView(headerJson, first.slice(4).buffer)).toThrow(/bytes/);
  });

  it('the bytes are little-endian float32, runs one after the other', () => {
    const rows = { gd: new Float32Array([1, -2.5]), gdm: new Float32Array([Number.NaN, 0.1]) };
    const bytes = encodeRows(rows, ['gd', 'gdm']);
    const view = new DataView(bytes.buffer);
    expect([0, 4, 8, 12].map((at) => view.getFloat32(at, true))).toEqual([1, -2.5, Number.NaN, Math.fround(0.1)]);
    expect(decodeRows(bytes.buffer, { runs: ['gd', 'gdm'], ts: [0], rowLength: 2 })).toEqual(rows);
    expect(() => decodeRows(bytes.buffer, { runs: ['gd', 'gdm'], ts: [0, 1], rowLength: 2 })).toThrow(/bytes/);
  });

  it('the store shows it as a finished run until a live run starts, and never over a live run', async () => {
    const { decoded } = await roundTrip();
    const shown = reduceTraining(initialTraining, { type: 'precomputed', run: decoded });
    expect(shown.status).toBe('done');
    expect(shown.runId).toBe(PRECOMPUTED_RUN_ID);
    expect(shown.t).toBe(CFG.T);
    expect(shown.precomputed?.backend).toBe('wasm');
    expect(shown.traces.gdm!.rows.at(-1)?.t).toBe(CFG.T);
    // A late snapshot of no run in particular is dropped; a live start replaces it.
    const started = reduceTraining(shown, { type: 'started', runId: 1, config: CFG, runs: ['gd', 'gdm'], lineup: [{ id: 'gd' }, { id: 'gdm' }], reused: [], small: decoded.small, examples: [] });
    expect(started.precomputed).toBeNull();
    expect(started.runId).toBe(1);
    expect(started.traces.gd!.rows).toEqual([]);
    expect(reduceTraining(started, { type: 'precomputed', run: decoded })).toBe(started);
  });

  it('the page loader fetches it for the default configuration only and falls back to null on any failure', async () => {
    const { header, bytes, first } = await roundTrip(DEFAULT_CONFIG);
    const fetchOk = vi.fn(async (url: string) =>
      url.endsWith(PRECOMPUTED_HEADER)
        ? new Response(JSON.stringify(header))
        : new Response((url.endsWith(PRECOMPUTED_FIRST) ? first : bytes).slice().buffer),
    );
    vi.stubGlobal('fetch', fetchOk);
    const run = await loadPrecomputed({ ...DEFAULT_CONFIG }, '/sub/path/');
    // the first view asks for the header and the small file only
    expect(fetchOk.mock.calls.map((c) => c[0]).sort()).toEqual(['/sub/path/precomputed/default-first.bin', '/sub/path/precomputed/default.json']);
    expect(run?.traces.gd.rows).toHaveLength(header.ts.length);
    expect(run?.complete).toBe(false);
    // then the full rows
    const full = await loadPrecomputedDetail(run!, '/sub/path/');
    expect(fetchOk.mock.calls.at(-1)?.[0]).toBe('/sub/path/precomputed/default.f32');
    expect(full?.complete).toBe(true);
    expect(full?.traces.gdm.detail.signal.every(Number.isFinite)).toBe(true);
    // an abort (a live run started) before the answer, or after it but before the decode: null
    const aborted = new AbortController();
    aborted.abort();
    vi.stubGlobal('fetch', vi.fn(async (_url: string, init?: RequestInit) => (init?.signal?.aborted ? Promise.reject(new DOMException('aborted', 'AbortError')) : new Response(bytes.slice().buffer))));
    expect(await loadPrecomputedDetail(run!, './', aborted.signal)).toBeNull();
    const late = new AbortController();
    vi.stubGlobal('fetch', vi.fn(async () => ({ ok: true, arrayBuffer: async () => (late.abort(), bytes.slice().buffer) })));
    expect(await loadPrecomputedDetail(run!, './', late.signal)).toBeNull();
    expect((await loadPrecomputedDetail(run!, './', new AbortController().signal))?.complete).toBe(true);
    vi.stubGlobal('fetch', vi.fn(async () => new Response('not found', { status: 404 })));
    expect(await loadPrecomputedDetail(run!, './')).toBeNull();
    expect(await loadPrecomputed({ ...DEFAULT_CONFIG, gamma: 0.5 }, './')).toBeNull();

    vi.stubGlobal('fetch', vi.fn(async () => new Response('not found', { status: 404 })));
    expect(await loadPrecomputed({ ...DEFAULT_CONFIG }, './')).toBeNull();
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('offline'))));
    expect(await loadPrecomputed({ ...DEFAULT_CONFIG }, './')).toBeNull();
    vi.stubGlobal('fetch', vi.fn(async () => new Response('<!doctype html>')));
    expect(await loadPrecomputed({ ...DEFAULT_CONFIG }, './')).toBeNull();
  });
});
