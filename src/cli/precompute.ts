/**
 * `npm run precompute` (and the first half of `npm run build`): train the default experiment with
 * the page's own engine in Node (wasm backend, the CLI's code path) and write it to
 * public/precomputed/ so the page can draw it the moment it opens. The rows are the packed float32
 * rows the worker's snapshots carry, decoded by the page with the same `decodeRun`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { version_core } from '@tensorflow/tfjs-core';
import { joinCollected } from '../engine/experiment';
import { runSpecs } from '../sim/runs';
import { BatchTrainer, type Collected } from '../engine/trainer';
import { generateDataset } from '../sim/data';
import { exampleViews } from '../sim/examples';
import { type Config, DEFAULT_CONFIG } from '../sim/params';
import {
  PRECOMPUTED_FIRST,
  PRECOMPUTED_FORMAT,
  PRECOMPUTED_HEADER,
  PRECOMPUTED_ROWS,
  PRECOMPUTED_SEEDS,
  type PrecomputedHeader,
  encodeSeeds,
  encodeFirstView,
  encodeRows,
  examplesToJson,
  firstViewDetailRows,
} from '../sim/precomputed';
import { rowLayout } from '../sim/trace';
import { SEED_FIELDS, type SeedSummary, seedList, seedRows } from '../sim/seeds';
import { DEFAULT_GRID } from '../sim/sweep';
import { SWEEP_FILE, type SweepFile, decodeSweep, encodeSweep } from '../sim/sweep-file';
import { blockRows, runSweepSync } from '../engine/sweep';
import { startNodeBackend } from './node-backends';

export const PRECOMPUTED_DIR = fileURLToPath(new URL('../../public/precomputed/', import.meta.url));

/** Train GD and GD+M for `config` to the end: the per-run packed rows, as a snapshot's rows. */
function trainRows(config: Config, chunk: number): { data: ReturnType<typeof generateDataset>; runs: string[]; ts: number[]; rows: Record<string, Float32Array> } {
  const data = generateDataset(config);
  const trainer = new BatchTrainer(data, runSpecs(config), config);
  let collected: Collected;
  try {
    const chunks: Collected[] = [];
    while (!trainer.done) {
      trainer.advance(chunk);
      chunks.push(trainer.collectSync());
    }
    collected = joinCollected(chunks);
  } finally {
    trainer.dispose();
  }
  const runs = trainer.runs.map((r) => r.name);
  const L = rowLayout(data.m, data.train.small.length).length;
  const K = collected.ts.length;
  // [logged step][run][row] -> per run [logged step][row], as a snapshot's rows.
  const rows = Object.fromEntries(
    runs.map((name, k) => {
      const out = new Float32Array(K * L);
      for (let i = 0; i < K; i++) out.set(collected.packed.subarray((i * runs.length + k) * L, (i * runs.length + k + 1) * L), i * L);
      return [name, out];
    }),
  );
  return { data, runs, ts: collected.ts, rows };
}

/** Train GD and GD+M for `config` (every seed of it) and return the header, the focus seed's packed rows and every seed's summary. */
export async function computePrecomputed(
  config: Config = { ...DEFAULT_CONFIG },
  chunk = 500,
): Promise<{ header: PrecomputedHeader; rows: Record<string, Float32Array>; seeds: SeedSummary[] }> {
  const backend = await startNodeBackend('wasm');
  const { data, runs, ts, rows } = trainRows(config, chunk);
  const L = rowLayout(data.m, data.train.small.length).length;
  const K = ts.length;
  // The same summaries as the worker's SeedMessages: the focus seed's from its rows, then each other seed trained whole.
  const summaryOf = (own: Record<string, Float32Array>) => Object.fromEntries(runs.map((name) => [name, seedRows(own[name], data.m, data.train.small.length)]));
  const seeds: SeedSummary[] = seedList(config).map((seed) =>
    seed === config.seed ? { seed, ts, summary: summaryOf(rows) } : { seed, ts, summary: summaryOf(trainRows({ ...config, seed }, chunk).rows) },
  );
  const detailRows = firstViewDetailRows(rows, runs, ts, data.m, data.train.small.length);
  const header: PrecomputedHeader = {
    format: PRECOMPUTED_FORMAT,
    config,
    ts,
    runs,
    rowLength: L,
    rows: PRECOMPUTED_ROWS,
    bytes: runs.length * K * L * 4,
    first: { rows: PRECOMPUTED_FIRST, bytes: 0, detailRows },
    small: Array.from(data.train.small),
    examples: examplesToJson(exampleViews(data, config.alpha, config.beta)),
    engine: { backend, tfjs: version_core, runtime: `Node ${process.version}` },
    date: new Date().toISOString(),
    seeds: { rows: PRECOMPUTED_SEEDS, bytes: seeds.length * runs.length * K * SEED_FIELDS.length * 4, list: seeds.map((s) => s.seed) },
  };
  header.first.bytes = encodeFirstView(rows, header, detailRows).byteLength;
  return { header, rows, seeds };
}

/** Write a file whole or not at all (a build reading the folder meanwhile never sees half of it). */
function writeAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

/** Compute the default experiment and write header and rows into `dir`; returns what it wrote. */
export async function writePrecomputed(dir = PRECOMPUTED_DIR): Promise<{ header: PrecomputedHeader; ms: number; sweep: SweepFile }> {
  const start = performance.now();
  const { header, rows, seeds } = await computePrecomputed();
  fs.mkdirSync(dir, { recursive: true });
  writeAtomic(path.join(dir, PRECOMPUTED_SEEDS), encodeSeeds(seeds, header.runs));
  writeAtomic(path.join(dir, PRECOMPUTED_ROWS), encodeRows(rows, header.runs));
  writeAtomic(path.join(dir, PRECOMPUTED_FIRST), encodeFirstView(rows, header, header.first.detailRows));
  writeAtomic(path.join(dir, PRECOMPUTED_HEADER), JSON.stringify(header));
  const ms = performance.now() - start;
  return { header, ms, sweep: await writePrecomputedSweep(dir) };
}

/**
 * The default map (DEFAULT_GRID at the default parameters). It takes tens of seconds, so a file
 * already there for the same grid, parameters, format and tfjs version is kept.
 */
export async function writePrecomputedSweep(dir = PRECOMPUTED_DIR): Promise<SweepFile> {
  const file = path.join(dir, SWEEP_FILE);
  const base = { ...DEFAULT_CONFIG };
  try {
    const old = JSON.parse(fs.readFileSync(file, 'utf8')) as SweepFile;
    const same = JSON.stringify([old.base, old.grid, old.engine?.tfjs]) === JSON.stringify([base, DEFAULT_GRID, version_core]);
    if (same && decodeSweep(old)) return old;
  } catch {
    // none yet, or unreadable: compute it
  }
  const backend = await startNodeBackend('wasm');
  const start = performance.now();
  const trace = runSweepSync(base, DEFAULT_GRID, { blockRows: blockRows(backend, base.m, base.P, base.N, base.Ntest) });
  const out = encodeSweep(trace, { backend, tfjs: version_core, runtime: `Node ${process.version}` }, performance.now() - start);
  fs.mkdirSync(dir, { recursive: true });
  writeAtomic(file, JSON.stringify(out));
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writePrecomputed().then(
    ({ header, ms, sweep }) => {
      process.stderr.write(
        `precompute: default experiment (T=${header.config.T}, ${header.ts.length} logged steps, ${header.runs.join(' and ')}) ` +
          `on ${header.engine.backend} in ${(ms / 1000).toFixed(2)} s: ${PRECOMPUTED_DIR}${PRECOMPUTED_ROWS} (${header.bytes} bytes), first view ${PRECOMPUTED_FIRST} (${header.first.bytes} bytes, per-example parts of rows ${header.first.detailRows.join(', ')}); seeds ${header.seeds?.list.join(', ')} summarized in ${PRECOMPUTED_SEEDS} (${header.seeds?.bytes} bytes)\n` +
          `precompute: default map (${sweep.grid.gammas.length} x ${sweep.grid.betas.length} cells, T=${sweep.base.T}) ` +
          `on ${sweep.engine.backend} in ${(sweep.ms / 1000).toFixed(1)} s (${sweep.date}): ${PRECOMPUTED_DIR}${SWEEP_FILE}\n`,
      );
    },
    (e: unknown) => {
      process.stderr.write(`precompute: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
