/**
 * `npm run bench:engine`: how fast the engine trains in Node, per backend. Prints JSON on stdout,
 * progress on stderr. Numbers only, no pass/fail (design.md: "Targets").
 *
 * - stepsPerSecond: the GD + GD+M pair at the default size, steady state (after a warm-up), with no
 *   logging and no readback in the timed stretch.
 * - experiment: the full default experiment as the CLI runs it (data generation + T = 1500 + readback).
 *   Where the steady-state rate predicts more than a minute, a shorter run is timed and scaled to
 *   T = 1500 (marked extrapolated).
 * - cli: wall time of the whole CLI process at the default setting as `npm run sim` runs it (the
 *   prebuilt bundle through scripts/sim.mjs, npm's own start-up excluded), on the backends fast
 *   enough for it.
 * - lineup: the default lineup (GD, GD+M and three what-ifs, T = 1500) as ONE batch, data included
 *   (design.md target <= 4 s); seeds: the pair on five seeds, one batch per seed (target <= 8 s).
 */
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { NODE_BACKENDS, type NodeBackend, startNodeBackend } from '../src/cli/node-backends';
import { runLineupSync, runPairSync } from '../src/engine/experiment';
import { type RunChoice, runSpecs } from '../src/sim/runs';
import { formatLineup } from '../src/sim/lineup';
import { seedList } from '../src/sim/seeds';
import { BatchTrainer } from '../src/engine/trainer';
import { generateDataset } from '../src/sim/data';
import { DEFAULT_CONFIG } from '../src/sim/params';
import { isMain, progress, round } from './common';

const WARMUP = 20;
/** The timed stretch: at least this many steps, and at least MIN_SECONDS. */
const MIN_STEPS = 200;
const MIN_SECONDS = 2;
const MAX_STEPS = 5000;
/** Predicted full-experiment time above which the experiment is timed on fewer steps and scaled. */
const FULL_RUN_LIMIT_S = 60;

const cfg = DEFAULT_CONFIG;

function stepsPerSecond(): { steps: number; seconds: number | null; stepsPerSecond: number | null } {
  const data = generateDataset(cfg);
  // T beyond the measured stretch, logEvery = T: only step 0 is logged, inside the warm-up.
  const T = WARMUP + MAX_STEPS + 1;
  const trainer = new BatchTrainer(data, runSpecs(cfg), { T, logEvery: T });
  try {
    trainer.advance(WARMUP);
    const t0 = performance.now();
    let steps = 0;
    let ms = 0;
    while (steps < MAX_STEPS && (steps < MIN_STEPS || ms < MIN_SECONDS * 1000)) {
      trainer.advance(50); // cpu and wasm compute synchronously: the step is done when advance returns
      steps += 50;
      ms = performance.now() - t0;
    }
    return { steps, seconds: round(ms / 1000), stepsPerSecond: round((steps * 1000) / ms) };
  } finally {
    trainer.dispose();
  }
}

function experiment(rate: number) {
  const predicted = cfg.T / rate;
  const T = predicted > FULL_RUN_LIMIT_S ? Math.max(cfg.logEvery, Math.round((cfg.T * 20) / predicted / 10) * 10) : cfg.T;
  const t0 = performance.now();
  const data = generateDataset({ ...cfg, T });
  const t1 = performance.now();
  const runs = runPairSync({ ...cfg, T }, data);
  const t2 = performance.now();
  const dataS = (t1 - t0) / 1000;
  const trainS = ((t2 - t1) / 1000) * (cfg.T / T);
  return {
    T: cfg.T,
    measuredT: T,
    extrapolated: T !== cfg.T,
    dataSeconds: round(dataS),
    trainSeconds: round(trainS),
    totalSeconds: round(dataS + trainS),
    ...(T === cfg.T ? { finalTestErr: { gd: round(runs.gd.rows.at(-1)!.testErr), gdm: round(runs.gdm.rows.at(-1)!.testErr) } } : {}),
  };
}

/** The default lineup of the page: the pair and three what-ifs. */
export const BENCH_LINEUP: RunChoice[] = [{ id: 'gd' }, { id: 'gdm' }, { id: 'gdm-until', arg: 60 }, { id: 'gd-eta', arg: 3 }, { id: 'sgdm', arg: 50 }];

/** Wall time of a lineup (one batch) and of the pair over five seeds (one batch each), data included. */
function lineupAndSeeds(skipSlow: boolean) {
  if (skipSlow) return { lineup: null, seeds: null, skipped: 'too slow' };
  const t0 = performance.now();
  const runs = runLineupSync(cfg, generateDataset(cfg), BENCH_LINEUP);
  const t1 = performance.now();
  const five = { ...cfg, seeds: 5 };
  const finals = seedList(five).map((seed) => {
    const c = { ...five, seed };
    const pair = runPairSync(c, generateDataset(c));
    return { seed, gd: round(pair.gd.rows.at(-1)!.testErr), gdm: round(pair.gdm.rows.at(-1)!.testErr) };
  });
  const t2 = performance.now();
  return {
    lineup: {
      runs: formatLineup(BENCH_LINEUP),
      T: cfg.T,
      seconds: round((t1 - t0) / 1000),
      targetSeconds: 4,
      finalTestErr: Object.fromEntries(BENCH_LINEUP.map(({ id }) => [id, round(runs[id]!.rows.at(-1)!.testErr)])),
    },
    seeds: { runs: 'gd,gdm', seeds: 5, T: cfg.T, seconds: round((t2 - t1) / 1000), targetSeconds: 8, finalTestErr: finals },
  };
}

function cliWallTime(backend: NodeBackend): number | null {
  const root = path.resolve(import.meta.dirname, '..');
  execFileSync(process.execPath, ['scripts/sim.mjs', '--build-only'], { cwd: root }); // a stale bundle is rebuilt here, not timed
  const t0 = performance.now();
  execFileSync(process.execPath, ['scripts/sim.mjs', '--backend', backend, '--out', os.devNull], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  return round((performance.now() - t0) / 1000);
}

/** Every Node figure above, per backend (the backend left active is the last one started). */
export async function benchEngine(log = progress('bench:engine')): Promise<Record<string, unknown>> {
  const cpus = os.cpus();
  const result: Record<string, unknown> = {
    machine: {
      cpu: cpus[0]?.model ?? 'unknown',
      cores: cpus.length,
      memoryGiB: round(os.totalmem() / 2 ** 30),
      platform: `${os.platform()} ${os.arch()}`,
      node: process.version,
      tfjs: tf.version_core,
    },
    config: { d: cfg.d, P: cfg.P, N: cfg.N, Ntest: cfg.Ntest, m: cfg.m, T: cfg.T, logEvery: cfg.logEvery },
    backends: {},
  };

  for (const name of NODE_BACKENDS) {
    const backends = result.backends as Record<string, unknown>;
    try {
      await startNodeBackend(name);
    } catch (e) {
      backends[name] = { error: e instanceof Error ? e.message : String(e) };
      continue;
    }
    log(`${name}: steady-state rate (at least ${MIN_STEPS} steps and ${MIN_SECONDS} s)`);
    const rate = stepsPerSecond();
    log(`${name}: ${rate.stepsPerSecond} steps/s; full experiment`);
    const exp = experiment(rate.stepsPerSecond ?? Number.NaN);
    log(`${name}: experiment ${exp.totalSeconds} s${exp.extrapolated ? ` (extrapolated from T=${exp.measuredT})` : ''}`);
    const cli = (exp.totalSeconds ?? Infinity) <= FULL_RUN_LIMIT_S / 2 ? { cliSeconds: cliWallTime(name) } : { cliSeconds: null, cliSkipped: 'too slow' };
    log(`${name}: the default lineup (${formatLineup(BENCH_LINEUP)}) and the pair on five seeds`);
    const whatIf = lineupAndSeeds((exp.totalSeconds ?? Infinity) > FULL_RUN_LIMIT_S / 2);
    backends[name] = { pair: rate, experiment: exp, ...cli, ...whatIf };
  }
  return result;
}

if (isMain(import.meta.url)) process.stdout.write(`${JSON.stringify(await benchEngine(), null, 2)}\n`);
