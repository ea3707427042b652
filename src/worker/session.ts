import * as tf from '@tensorflow/tfjs-core';
import { type Lineup, PAIR_LINEUP, type RunChoice, type RunName, type RunSpec, choiceArg, runSpecs } from '../sim/runs';
import { formatLineup, parseLineup } from '../sim/lineup';
import { SEED_FIELDS, seedList, seedRows } from '../sim/seeds';
import { BatchTrainer, type Collected } from '../engine/trainer';
import { type Dataset, generateDataset } from '../sim/data';
import { type RunDivergence, explainDivergence, rowDivergence } from '../sim/divergence';
import { exampleViews } from '../sim/examples';
import { type Config, DEFAULT_CONFIG, datasetKey } from '../sim/params';
import { loggedSteps, rowLayout } from '../sim/trace';
import { validateConfig } from '../sim/validate';
import type { FromWorker, MemoryMessage, RunId, SeedMessage, ToWorker } from './protocol';
import { HelperError, type Trainer } from './split-trainer';
import { yieldToMessages } from './yield';

export interface SessionHost {
  post(message: FromWorker, transfer?: Transferable[]): void;
  /**
   * Training threw on the current backend. Switch to a fallback and return true to have the run
   * restarted there, or false to report the error.
   */
  recover(error: unknown): Promise<boolean>;
  /**
   * Why the backend's numbers cannot be trusted any more (a lost WebGL context reads back zeros),
   * else null. Asked after every readback, before anything of it is posted.
   */
  lost?(): string | null;
  /**
   * A trainer of `runs` other than one BatchTrainer here (split-trainer.ts: half of them on a
   * helper thread), or null for a BatchTrainer.
   */
  trainer?(data: Dataset, runs: readonly RunSpec[], config: Config): Trainer | null;
}

interface ActiveRun {
  runId: RunId;
  config: Config;
  lineup: Lineup;
  data: Dataset;
  /** The runs the page shows, in order. */
  names: RunName[];
  trainer: Trainer;
  /** Rows of runs not trained here but replayed from the GD cache, by name. */
  replayed: RunName[];
  /** The focus seed's SEED_FIELDS rows so far, per run, for its SeedMessage. */
  focusSeed: { ts: number[]; parts: Map<RunName, Float32Array[]> };
  /** The seed trained in the background now (after the focus seed), to be freed on stop. */
  background: Trainer | null;
  paused: boolean;
  stepsPerSecond: number | null;
  /** Measured throughput, smoothed. */
  rate: number | null;
  /** A training loop is running for this run (at most one at a time). */
  looping: boolean;
  /** When the last chunk finished (performance.now()), for the measured rate. */
  lastEnd: number | null;
  /** Runs frozen at their first diverged logged row: nothing of them is posted after it. */
  diverged: Partial<Record<RunName, RunDivergence>>;
  /** The last step whose rows were posted. */
  postedT: number;
}

/** The GD trajectory of the last configuration: it does not depend on gamma or the momentum form. */
interface GdCache {
  key: string;
  rows: Map<number, Float32Array>;
  complete: boolean;
  /** Where GD diverged: the cache holds its rows before that step only. */
  diverged?: RunDivergence;
}

/**
 * Target time for one chunk at full speed: long enough to amortize the readback, short enough that
 * a new configuration (handled between chunks) starts promptly. The page throttles its own redraws.
 */
const CHUNK_MS = 40;
const MAX_CHUNK = 1000;

/**
 * The warm-up (TrainingSession.warmUp): steps of the default pair, in chunks this long, logging as
 * the default run does. 700, not 200: the first live run after Reset trained in 1.24-1.43 s in the
 * page after 700 steps against 1.48-2.13 s after 200 (same minutes, 2 cores); 1500 did no better.
 */
export const WARM_UP_STEPS = 700;
const WARM_UP_CHUNK = 10;

/**
 * The GD cache holds a whole trajectory or nothing (a replay needs every logged row): a trajectory
 * of more than this many float32 numbers (16 MB, the page's detail budget for one run) is not
 * cached, and its GD is trained again on a gamma change. The default run is 0.16 M numbers;
 * T = 20 000 logged every step at N = 2000 would be 85 M (340 MB).
 */
export const GD_CACHE_FLOATS = 4_000_000;

const gdKey = (c: Config) => JSON.stringify([datasetKey(c), c.eta, c.T, c.logEvery]);

/** A run is over at T, or early when every run of it has diverged (nothing left to show). */
const finished = (active: ActiveRun) =>
  active.trainer.done || active.names.every((name) => active.diverged[name] !== undefined);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The worker's state: the current pair of runs, trained in chunks and streamed as snapshots.
 * Platform-free (no DOM, no worker globals) so it runs under Node in tests.
 */
export class TrainingSession {
  private active: ActiveRun | null = null;
  private dataCache: { key: string; data: Dataset } | null = null;
  private gdCache: GdCache | null = null;
  private serial: Promise<unknown> = Promise.resolve();
  /** The warm-up has run, or is to stop at its next chunk: any message for the session ends it. */
  private warmUpOver = false;
  private warmingUp: Promise<void> = Promise.resolve();

  constructor(private readonly host: SessionHost) {}

  /**
   * Train the default pair for WARM_UP_STEPS steps, unseen, before the first live run: in a fresh
   * worker V8 compiles the engine's JS and tiers up its wasm kernels while the first run trains, so
   * the first run after the precomputed first view was the slowest (Node wasm, a fresh process: the
   * default pair 1.86 s the first time, 1.52 s the next; after 200 steps, 1.60 s). Between
   * chunks it gives way to messages, and any message for the session (a start above all) ends it;
   * a start's first chunk waits for the chunk in flight only. Its data set stays cached for a live
   * run at the defaults.
   */
  warmUp(): Promise<void> {
    if (this.warmUpOver) return Promise.resolve();
    const run = async () => {
      if (this.warmUpOver) return;
      const config = DEFAULT_CONFIG;
      const key = datasetKey(config);
      if (this.dataCache?.key !== key) this.dataCache = { key, data: generateDataset(config) };
      const trainer = new BatchTrainer(this.dataCache.data, runSpecs(config), { T: WARM_UP_STEPS, logEvery: config.logEvery, logDense: config.logDense });
      try {
        while (!this.warmUpOver && !trainer.done) {
          trainer.advance(WARM_UP_CHUNK);
          await trainer.collect();
          await yieldToMessages();
        }
      } finally {
        trainer.dispose();
        this.warmUpOver = true;
      }
    };
    const done = this.serial.then(run);
    this.serial = done.catch(() => undefined);
    this.warmingUp = done.catch(() => undefined);
    return done;
  }

  /** End the warm-up at its next chunk; resolves once its tensors are freed. */
  endWarmUp(): Promise<void> {
    this.warmUpOver = true;
    return this.warmingUp;
  }

  handle(message: ToWorker): void {
    if (message.type === 'init' || message.type === 'ping' || message.type === 'debug') return; // the worker's own
    this.warmUpOver = true;
    if (message.type === 'memory') {
      // After the chunk in flight: its intermediate tensors are not counted as held.
      const { id } = message;
      void this.serial.then(() => this.host.post(this.memory(id)));
      return;
    }
    if (message.type === 'start') {
      this.start(message.runId, message.config, message.paused, message.stepsPerSecond, message.lineup ?? [...PAIR_LINEUP]);
      return;
    }
    const active = this.active;
    if (!active || active.runId !== message.runId) return; // from an abandoned run
    if (message.type === 'pause') {
      active.paused = true;
      void this.chunk(active, 0); // an empty snapshot after the chunk in flight: the page learns it paused
    } else if (message.type === 'resume') {
      if (!active.paused) return;
      active.paused = false;
      active.lastEnd = null;
      void this.loop(active);
    } else if (message.type === 'speed') {
      active.stepsPerSecond = message.stepsPerSecond;
    } else if (message.type === 'step') {
      active.paused = true;
      active.lastEnd = null;
      void this.chunk(active, Math.max(1, Math.floor(message.steps)));
    }
  }

  private start(runId: RunId, input: Config, paused: boolean, stepsPerSecond: number | null, choices: readonly RunChoice[]): void {
    const checked = validateConfig(input as unknown as Record<string, unknown>);
    // The lineup strictly, as the CLI reads it (the page clamps its URL before asking).
    const lineup = checked.ok ? parseLineup(formatLineup(choices), checked.config) : null;
    if (!checked.ok || !lineup?.ok) {
      this.stop(); // the page has moved on from the old run either way
      const message = !checked.ok ? checked.issues.map((i) => `${i.key} ${i.message}`).join('; ') : `lineup: ${lineup && !lineup.ok ? lineup.errors.join('; ') : ''}`;
      this.host.post({ type: 'error', runId, message });
      return;
    }
    const config = checked.config;
    // Every argument written out, so the page learns what was trained.
    const resolved = lineup.lineup.map((c) => (Number.isNaN(choiceArg(c)) ? { id: c.id } : { id: c.id, arg: choiceArg(c) }));
    this.stop();
    const key = datasetKey(config);
    if (this.dataCache?.key !== key) this.dataCache = { key, data: generateDataset(config) };
    const data = this.dataCache.data;

    const specs = runSpecs(config, resolved);
    const reuseGd = this.gdCache?.key === gdKey(config) && this.gdCache.complete;
    const cacheable = loggedSteps(config.T, config.logEvery, config.logDense).length * rowLayout(config.m, config.N).length <= GD_CACHE_FLOATS;
    if (!reuseGd) this.gdCache = cacheable ? { key: gdKey(config), rows: new Map(), complete: false } : null;
    const trained: RunSpec[] = reuseGd ? specs.filter((r) => r.name !== 'gd') : specs;

    this.active = {
      runId,
      config,
      lineup: resolved,
      data,
      names: specs.map((r) => r.name),
      trainer: this.trainer(data, trained, config),
      replayed: reuseGd ? ['gd'] : [],
      focusSeed: { ts: [], parts: new Map() },
      background: null,
      paused,
      stepsPerSecond,
      rate: null,
      looping: false,
      lastEnd: null,
      diverged: {},
      postedT: 0,
    };
    this.host.post({
      type: 'started',
      runId,
      config,
      runs: this.active.names,
      lineup: resolved,
      reused: this.active.replayed,
      small: data.train.small.slice(),
      examples: exampleViews(data, config.alpha, config.beta),
    });
    // The first chunk is a single step: it logs t = 0 right away, so the page can draw at once.
    const active = this.active;
    void this.chunk(active, 1).then((more) => {
      if (more && !active.paused) void this.loop(active);
    });
  }

  private trainer(data: Dataset, runs: readonly RunSpec[], config: Config, alone = false): Trainer {
    return (alone ? null : this.host.trainer?.(data, runs, config)) ?? new BatchTrainer(data, runs, config);
  }

  private stop(): void {
    try {
      this.active?.trainer.dispose();
      this.active?.background?.dispose();
    } catch {
      // a lost backend cannot free its tensors; they went with it
    }
    if (this.active) this.active.background = null;
    this.active = null;
  }

  private async loop(active: ActiveRun): Promise<void> {
    if (active.looping) return;
    active.looping = true;
    try {
      await this.trainUntilPaused(active);
    } finally {
      active.looping = false;
    }
  }

  private async trainUntilPaused(active: ActiveRun): Promise<void> {
    while (this.active === active && !active.paused && !finished(active)) {
      const perChunk = active.stepsPerSecond ?? active.rate ?? 200;
      const steps = Math.max(1, Math.min(MAX_CHUNK, Math.round((perChunk * CHUNK_MS) / 1000)));
      const started = performance.now();
      if (!(await this.chunk(active, steps))) return;
      const rest = active.stepsPerSecond ? (steps / active.stepsPerSecond) * 1000 - (performance.now() - started) : 0;
      await (rest > 1 ? sleep(rest) : yieldToMessages());
    }
  }

  /** Train `steps` steps and post what was logged, one chunk at a time so snapshots stay in order. */
  private chunk(active: ActiveRun, steps: number): Promise<boolean> {
    const next = this.serial.then(() => this.chunkNow(active, steps));
    this.serial = next.catch(() => undefined);
    return next;
  }

  /** False when the run ended or was abandoned. */
  private async chunkNow(active: ActiveRun, steps: number): Promise<boolean> {
    if (this.active !== active || finished(active)) return false;
    let collected: Collected;
    const started = performance.now();
    const t0 = active.trainer.t;
    try {
      active.trainer.advance(steps);
      collected = await this.unlessLost(active.trainer.collect());
    } catch (error) {
      if (this.active !== active) return false;
      const lost = this.host.lost?.();
      await this.fail(active, lost ? new Error(`${lost} at step ${active.postedT}`) : error);
      return false;
    }
    if (this.active !== active) return false;
    // A lost WebGL context reads back zeros: nothing of this chunk may reach the page.
    const lost = this.host.lost?.();
    if (lost) {
      await this.fail(active, new Error(`${lost} at step ${active.postedT}`));
      return false;
    }
    // Wall time since the previous chunk ended, when training back to back: it counts the readback
    // and the pause between chunks too (webgl queues work that only the readback waits for).
    const now = performance.now();
    const elapsed = now - (active.stepsPerSecond === null && active.lastEnd !== null ? active.lastEnd : started);
    active.lastEnd = now;
    const done = active.trainer.t - t0;
    // The first single step carries one-time costs (shader compilation, wasm warm-up): not a rate.
    if (done >= 5 && elapsed > 0) {
      const rate = (done / elapsed) * 1000;
      active.rate = active.rate === null ? rate : 0.7 * active.rate + 0.3 * rate;
    }
    this.post(active, collected);
    return !finished(active);
  }

  private post(active: ActiveRun, { ts, packed }: Collected): void {
    const L = rowLayout(active.config.m, active.config.N).length;
    const trainedNames = active.trainer.runs.map((r) => r.name);
    const R = trainedNames.length;
    const rows: Partial<Record<RunName, Float32Array>> = {};
    trainedNames.forEach((name, k) => {
      const own = new Float32Array(ts.length * L);
      ts.forEach((_, s) => own.set(packed.subarray((s * R + k) * L, (s * R + k + 1) * L), s * L));
      rows[name] = this.finiteRows(active, name, ts, own, L);
    });
    const cache = this.gdCache;
    if (cache && rows.gd) {
      for (let s = 0; s * L < rows.gd.length; s++) cache.rows.set(ts[s], rows.gd.slice(s * L, (s + 1) * L));
      cache.diverged = active.diverged.gd;
    }
    for (const name of active.replayed) {
      // The cache holds GD's rows up to where it diverged, if it did.
      const kept = ts.filter((t) => cache!.rows.has(t));
      const replay = new Float32Array(kept.length * L);
      kept.forEach((t, s) => replay.set(cache!.rows.get(t)!, s * L));
      rows[name] = replay;
      if (kept.length < ts.length && cache!.diverged) active.diverged[name] = cache!.diverged;
    }
    if (cache && trainedNames.includes('gd') && finished(active)) cache.complete = true;
    this.keepFocusSeed(active, ts, rows);
    active.postedT = active.trainer.t;
    const diverged = Object.keys(active.diverged).length ? { diverged: { ...active.diverged } } : {};
    this.host.post(
      {
        type: 'snapshot',
        runId: active.runId,
        t: active.trainer.t,
        done: finished(active),
        paused: active.paused,
        ts,
        rows,
        stepsPerSecond: active.rate,
        ...diverged,
      },
      Object.values(rows).map((r) => r.buffer),
    );
    if (finished(active)) {
      this.postSeed(active, active.config.seed, active.focusSeed.ts, active.focusSeed.parts);
      if (active.config.seeds > 1) void this.otherSeeds(active);
    }
  }

  /** The SEED_FIELDS of a chunk's rows, per run; a run frozen where it diverged has NaN from there. */
  private keepFocusSeed(active: ActiveRun, ts: readonly number[], rows: Partial<Record<RunName, Float32Array>>): void {
    const { m, N } = active.config;
    const F = SEED_FIELDS.length;
    active.focusSeed.ts.push(...ts);
    for (const name of active.names) {
      const part = new Float32Array(ts.length * F).fill(Number.NaN);
      part.set(seedRows(rows[name] ?? new Float32Array(0), m, N));
      const parts = active.focusSeed.parts.get(name) ?? [];
      parts.push(part);
      active.focusSeed.parts.set(name, parts);
    }
  }

  private postSeed(active: ActiveRun, seed: number, ts: number[], parts: Map<RunName, Float32Array[]>): void {
    const summary: Partial<Record<RunName, Float32Array>> = {};
    for (const name of active.names) {
      const chunks = parts.get(name) ?? [];
      const joined = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const c of chunks) {
        joined.set(c, at);
        at += c.length;
      }
      summary[name] = joined;
    }
    const message: SeedMessage = { type: 'seed', runId: active.runId, seed, ts, summary };
    this.host.post(message, Object.values(summary).map((r) => r.buffer));
  }

  /**
   * The seeds after the focus seed, one after the other, each lineup in one batch, chunk by chunk
   * between messages; a new start (or a failure) abandons them. Only SEED_FIELDS are kept.
   */
  private async otherSeeds(active: ActiveRun): Promise<void> {
    const abandoned = () => this.active !== active;
    for (const seed of seedList(active.config).slice(1)) {
      if (abandoned()) return;
      const config = { ...active.config, seed };
      const data = generateDataset(config);
      if (abandoned()) return;
      // A helper that fails mid-seed costs that seed a second go, here alone (split-trainer.ts).
      const trained = await this.trainSeed(active, config, data, false)
        .catch((error: unknown) => (error instanceof HelperError && !abandoned() ? this.trainSeed(active, config, data, true) : Promise.reject(error)))
        .catch((error: unknown) => {
          if (abandoned()) return null;
          this.host.post({ type: 'error', runId: active.runId, message: `training seed ${seed} failed: ${error instanceof Error ? error.message : String(error)}` });
          return null;
        });
      // A new start may have come in while the last chunk yielded: nothing of the old run after it.
      if (!trained || abandoned()) return;
      this.postSeed(active, seed, trained.ts, trained.parts);
    }
  }

  /** One background seed's SEED_FIELDS rows, chunk by chunk between messages; null once abandoned. */
  private async trainSeed(active: ActiveRun, config: Config, data: Dataset, alone: boolean): Promise<{ ts: number[]; parts: Map<RunName, Float32Array[]> } | null> {
    const abandoned = () => this.active !== active;
    const trainer = this.trainer(data, runSpecs(config, active.lineup), config, alone);
    active.background = trainer;
    const ts: number[] = [];
    const parts = new Map<RunName, Float32Array[]>();
    try {
      while (!trainer.done) {
        const steps = Math.max(1, Math.min(MAX_CHUNK, Math.round(((active.rate ?? 200) * CHUNK_MS) / 1000)));
        const next = this.serial.then(async () => {
          if (abandoned()) return null;
          trainer.advance(steps);
          return this.unlessLost(trainer.collect());
        });
        this.serial = next.catch(() => undefined);
        const got = await next;
        if (!got || abandoned()) return null;
        const L = rowLayout(config.m, config.N).length;
        const R = trainer.runs.length;
        ts.push(...got.ts);
        trainer.runs.forEach((run, k) => {
          const own = new Float32Array(got.ts.length * L);
          got.ts.forEach((_, s) => own.set(got.packed.subarray((s * R + k) * L, (s * R + k + 1) * L), s * L));
          const list = parts.get(run.name) ?? [];
          list.push(seedRows(own, config.m, config.N));
          parts.set(run.name, list);
        });
        await yieldToMessages();
      }
    } finally {
      if (active.background === trainer) active.background = null;
      try {
        trainer.dispose();
      } catch {
        // a lost backend took its tensors with it
      }
    }
    return abandoned() ? null : { ts, parts };
  }

  /** A readback, or a rejection once the backend is lost: a lost WebGL context never answers. */
  private unlessLost<T>(work: Promise<T>): Promise<T> {
    const lost = this.host.lost?.bind(this.host);
    if (!lost) return work;
    return new Promise<T>((resolve, reject) => {
      const poll = setInterval(() => {
        const why = lost();
        if (!why) return;
        clearInterval(poll);
        reject(new Error(why));
      }, 100);
      work.then(resolve, reject).finally(() => clearInterval(poll));
    });
  }

  /**
   * The rows of a run up to (not including) its first diverged one; none once it has diverged.
   * The first diverged row freezes the run and records where and why.
   */
  private finiteRows(active: ActiveRun, name: RunName, ts: readonly number[], own: Float32Array, L: number): Float32Array {
    if (active.diverged[name]) return own.subarray(0, 0);
    for (let s = 0; s < ts.length; s++) {
      const kind = rowDivergence(own.subarray(s * L, (s + 1) * L));
      if (kind) {
        active.diverged[name] = explainDivergence(active.config, name, ts[s], kind);
        return own.slice(0, s * L);
      }
    }
    return own;
  }

  private async fail(active: ActiveRun, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    const recovered = await this.host.recover(error).catch(() => false);
    if (this.active !== active) return;
    if (recovered) {
      // Restart the same run on the new backend; the page replaces what it had under this runId.
      this.gdCache = null;
      this.start(active.runId, active.config, active.paused, active.stepsPerSecond, active.lineup);
      return;
    }
    this.stop();
    this.host.post({ type: 'error', runId: active.runId, message: `training failed: ${message}` });
  }

  /** What the worker holds now: tfjs's counts and the GD cache's size. */
  memory(id: number): MemoryMessage {
    const { numTensors, numBytes, numDataBuffers } = tf.memory();
    let gdCacheFloats = 0;
    for (const row of this.gdCache?.rows.values() ?? []) gdCacheFloats += row.length;
    return { type: 'memory', id, numTensors, numBytes, numDataBuffers, gdCacheFloats };
  }

  dispose(): void {
    this.stop();
    this.dataCache = null;
    this.gdCache = null;
  }
}
