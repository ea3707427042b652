/**
 * `npm run bench:frames`: the main thread's frames while a live run trains on wasm in headless
 * Chromium, and where a frame's time goes (a Chromium trace and a JS sampling profile of the page's
 * main thread), in about a minute. `npm run bench` runs it as its `frames` part.
 *
 * - liveAfterReset: the default page (precomputed run first), 10 s on it (FRAMES_WAIT_MS), then
 *   Reset: the live run trains on the automatic choice (wasm here); frame intervals between its
 *   first logged row and done, CPU per thread, and the training worker's CPU time (workerCpuS).
 * - firstLiveRun: `?backend=wasm`: the page trains live from navigation; the same window.
 * - idle: one second of frames after the run and its background seeds.
 * - profile (of liveAfterReset): the main thread's busy time per second of training by trace event
 *   (self time: scripting, style, layout, paint, GC ...) and the JS functions with the most self time.
 *
 * Measured twice, in two Chromium instances: with the tests' flags (the GPU process composites on
 * SwiftShader's emulated GL) and with Chromium's software compositor (SOFTWARE_COMPOSITING: how it
 * composites without a GPU); FRAMES_COMPOSITING=gl|software picks one.
 *
 * FRAMES_QUERY=threads=2 (for one) adds that query to both live runs' URLs, for A/B runs of page options.
 * FRAMES_DIST=dir reuses a build there (built if missing; without it the build is fresh each time); FRAMES_MINIFY=0 builds without minifying,
 * so the profile names the functions (the figures then run slightly slower than the real build).
 * FRAMES_PROFILE=1 profiles with either compositor (by default only with SwiftShader GL; 0: never);
 * FRAMES_PROFILE=trace records the Chromium trace alone, without the JS sampling profiler (which
 * slows the page's JS and takes CPU of its own), for where the threads' time goes.
 * FRAMES_PROFILE_OUT=file.cpuprofile and FRAMES_TRACE_OUT=file.json also write the raw JS profile
 * and the Chromium trace (open them in DevTools' Performance panel, or read inclusive times per
 * function and what each Paint covered from them); FRAMES_TRACE_CATEGORIES=viz,... adds trace categories.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import type { Browser, Page } from 'playwright-core';
import { build, preview } from 'vite';
import { writePrecomputed } from '../src/cli/precompute';
import { DEFAULT_CONFIG } from '../src/sim/params';
import { launchChromium, openPage } from '../test/e2e/support/browser';
import { BENCH_CONTEXT, type Recorded, frameStats, recorded, waitDone } from './browser';
import { TARGETS, isMain, progress, round } from './common';

let log = progress('bench:frames');

const num = (v: string | null) => (v === null || v === '' ? Number.NaN : Number(v));

/** The window of run `runId`: its first logged row on screen to its 'done'. */
function runWindow(rec: Recorded, runId: string): [number, number] {
  const own = rec.events.filter((e) => e.runId === runId);
  const first = own.find((e) => num(e.gdT) >= 0 && num(e.gdmT) >= 0)?.t ?? Number.NaN;
  const done = own.find((e) => e.status === 'done')?.t ?? Number.NaN;
  return [first, done];
}

interface TraceEvent {
  ph: string;
  name: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

/** Self time (ms) per event name on the busiest renderer main thread, between t0 and t1 (trace µs). */
function traceSelfTimes(events: TraceEvent[]): { busyMs: number; spanMs: number; byName: Record<string, number | null> } {
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const perThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.ph !== 'X' || e.dur === undefined) continue;
    const key = `${e.pid}:${e.tid}`;
    if (!mains.has(key)) continue;
    (perThread.get(key) ?? perThread.set(key, []).get(key)!).push(e);
  }
  const thread = [...perThread.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  thread.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const self = new Map<string, number>();
  const stack: { end: number; name: string }[] = [];
  let busy = 0;
  for (const e of thread) {
    const end = e.ts + (e.dur ?? 0);
    while (stack.length && stack.at(-1)!.end <= e.ts) stack.pop();
    const parent = stack.at(-1);
    if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - (e.dur ?? 0));
    else busy += e.dur ?? 0;
    self.set(e.name, (self.get(e.name) ?? 0) + (e.dur ?? 0));
    stack.push({ end, name: e.name });
  }
  const span = thread.length ? thread.at(-1)!.ts + (thread.at(-1)!.dur ?? 0) - thread[0].ts : 0;
  const byName = Object.fromEntries(
    [...self.entries()]
      .filter(([, v]) => v > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 14)
      .map(([k, v]) => [k, round(v / 1000)]),
  );
  return { busyMs: round(busy / 1000) ?? 0, spanMs: round(span / 1000) ?? 0, byName };
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** JS self time (ms) per function: name (file:line). */
function profileSelfTimes(profile: CpuProfile): Record<string, number | null> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.split('/').at(-1)?.replace(/-[\w-]{8}\.js$/, '.js') ?? '';
    const key = `${functionName || '(anonymous)'}${file ? ` (${file}:${lineNumber + 1})` : ''}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return Object.fromEntries(
    [...self.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 16)
      .map(([k, v]) => [k, round(v / 1000)]),
  );
}

/**
 * CPU seconds per thread name (Linux comm: CrRendererMain, DedicatedWorker, Compositor, CrGpuMain,
 * VizCompositorTh ...) of every Chromium process this benchmark started. Unlike frame intervals, CPU
 * time barely depends on what else the machine runs: it compares before/after on a loaded machine.
 */
export function threadCpu(): Map<string, number> {
  const tick = 100;
  const parent = new Map<number, number>();
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      pids.push(Number(name));
    } catch {
      // gone
    }
  }
  const mine = (pid: number) => {
    for (let p = pid, hops = 0; p > 1 && hops < 50; p = parent.get(p) ?? 0, hops++) if (p === process.pid) return true;
    return false;
  };
  const out = new Map<string, number>();
  for (const pid of pids) {
    if (!mine(pid)) continue;
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmd.includes('chrom')) continue;
    const type = /--type=([\w-]+)/.exec(cmd)?.[1] ?? 'browser';
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/\d+$/, '');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const key = `${type}/${comm}`;
        out.set(key, (out.get(key) ?? 0) + (Number(f[11]) + Number(f[12])) / tick);
      } catch {
        // gone
      }
    }
  }
  return out;
}

/** CPU ms per second of wall time per thread, between two threadCpu() samples (the busiest first). */
export function cpuPerSecond(a: Map<string, number>, b: Map<string, number>, seconds: number): Record<string, number | null> {
  return Object.fromEntries(
    [...b.entries()]
      .map(([k, v]) => [k, (v - (a.get(k) ?? 0)) * 1000 / seconds] as [string, number])
      .filter(([, v]) => v >= 5)
      .sort((x, y) => y[1] - x[1])
      .slice(0, 10)
      .map(([k, v]) => [k, round(v)]),
  );
}

/** CPU seconds of the page's training worker between two readings (its thread is named DedicatedWorker). */
export function workerCpuSeconds(a: Map<string, number>, b: Map<string, number>): number | null {
  const key = [...b.keys()].find((k) => k.startsWith('renderer/') && k.includes('DedicatedWorker'));
  return key ? round(b.get(key)! - (a.get(key) ?? 0), 3) : null;
}

/** FRAMES_TRACE_CATEGORIES=viz,... adds categories (the display compositor's draws are in viz, untraced by default). */
const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8',
  'blink',
  'cc',
  'gpu',
  'toplevel',
  ...(process.env.FRAMES_TRACE_CATEGORIES?.split(',').filter(Boolean) ?? []),
];

/** FRAMES_QUERY: more of the URL's query for the live runs (without its "?"). */
const EXTRA = process.env.FRAMES_QUERY ?? '';
/**
 * FRAMES_WAIT_MS: how long the default page stays open before Reset. 10 s by default: a reader looks
 * at the first view before pressing Reset, and by then the worker has started its backend and warmed
 * up. 0: Reset once the page shows its numbers, before the worker has started (its start-up then
 * counts in the run's window and in the worker's CPU time).
 */
const WAIT_MS = Number(process.env.FRAMES_WAIT_MS ?? 10_000);

/** The default page, then Reset: the live run's frames (and, with `profile`, a trace and a JS profile of it). */
async function liveAfterReset(browser: Browser, base: string, profile: boolean) {
  const b = await openPage(browser, `${base}${EXTRA ? `?${EXTRA}` : ''}`, BENCH_CONTEXT);
  try {
    await waitDone(b.page, null, 120_000);
    if (WAIT_MS > 0) await b.page.waitForTimeout(WAIT_MS);
    const before = (await recorded(b.page)).events.at(-1)?.runId ?? null;
    const cdp = profile ? await b.page.context().newCDPSession(b.page) : null;
    const sampling = process.env.FRAMES_PROFILE !== 'trace';
    if (cdp) {
      await browser.startTracing(b.page, { categories: TRACE_CATEGORIES });
    }
    if (cdp && sampling) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    const cpu0 = threadCpu();
    const wall0 = performance.now();
    await b.page.getByRole('button', { name: 'Reset', exact: true }).click();
    await waitDone(b.page, before, 240_000);
    const cpu1 = threadCpu();
    const cpuUse = cpuPerSecond(cpu0, cpu1, (performance.now() - wall0) / 1000);
    // The engine's work in the page: the training worker's CPU time from the click to done (its data
    // set, the run and its readback: what Node's in-process experiment times). The wall time is this
    // divided by the share of a core the worker gets; on 2 cores the page's own threads take the rest.
    const workerCpuS = workerCpuSeconds(cpu0, cpu1);
    const rec = await recorded(b.page);
    const runId = rec.events.at(-1)?.runId ?? '';
    const [from, to] = runWindow(rec, runId);
    // Idle means idle: the other seeds (S = 5 at the defaults) train in the background after the focus seed's 'done'.
    const seedsOf = DEFAULT_CONFIG.seeds;
    if (seedsOf > 1) await b.page.waitForSelector(`[data-testid=verdict-seeds][data-done="${seedsOf}"]`, { timeout: 240_000, state: 'attached' });
    const idleFrom = (await b.page.evaluate('performance.now()')) as number;
    // The background seeds' time: the focus seed's done to the seed verdict showing its last seed.
    const seedsAfterDoneS = seedsOf > 1 ? round((idleFrom - to) / 1000) : null;
    await b.page.waitForTimeout(1000);
    const idleTo = (await b.page.evaluate('performance.now()')) as number;
    const out: Record<string, unknown> = {
      trainingS: round((to - from) / 1000),
      whileTraining: frameStats(rec, from, to),
      cpuMsPerSecondByThread: cpuUse,
      workerCpuS,
      seedsAfterDoneS,
      idle: frameStats(await recorded(b.page), idleFrom, idleTo),
    };
    if (cdp) {
      const cpu = sampling ? ((await cdp.send('Profiler.stop')) as { profile: CpuProfile }).profile : null;
      if (cpu && process.env.FRAMES_PROFILE_OUT) writeFileSync(process.env.FRAMES_PROFILE_OUT, JSON.stringify(cpu));
      const raw = (await browser.stopTracing()).toString('utf8');
      if (process.env.FRAMES_TRACE_OUT) writeFileSync(process.env.FRAMES_TRACE_OUT, raw);
      const trace = JSON.parse(raw) as { traceEvents: TraceEvent[] } | TraceEvent[];
      const events = Array.isArray(trace) ? trace : trace.traceEvents;
      const main = traceSelfTimes(events);
      out.profile = {
        how: 'Chromium trace of the page (Reset to done, plus 1 s idle): self time per trace event on the renderer main thread; JS sampling profile: self time per function',
        mainThreadBusyMs: main.busyMs,
        tracedMs: main.spanMs,
        busyShare: round(main.busyMs / Math.max(1, main.spanMs)),
        selfMsByTraceEvent: main.byName,
        jsSelfMsByFunction: cpu ? profileSelfTimes(cpu) : 'not sampled (FRAMES_PROFILE=trace)',
      };
    }
    return out;
  } finally {
    await b.close();
  }
}

/** `?backend=wasm`: the page trains live from navigation. */
async function firstLiveRun(browser: Browser, base: string) {
  const b = await openPage(browser, `${base}?backend=wasm${EXTRA ? `&${EXTRA}` : ''}`, BENCH_CONTEXT);
  try {
    await waitDone(b.page, null, 240_000);
    const rec = await recorded(b.page);
    const runId = rec.events.at(-1)?.runId ?? '';
    const [from, to] = runWindow(rec, runId);
    return { trainingS: round((to - from) / 1000), whileTraining: frameStats(rec, from, to) };
  } finally {
    await b.close();
  }
}

export const FRAME_TARGETS = {
  p50ms: 20,
  p95ms: 34,
  text: 'issue #17: while a live run trains on wasm in headless Chromium on the 2-core machine, frame interval p50 <= 20 ms and p95 <= 34 ms (design.md: p95 <= 20 ms)',
};

/**
 * Chromium's switches for its software compositor. The tests' flags (--use-angle=swiftshader, for
 * WebGL in workers without a GPU) make the GPU process composite every frame through SwiftShader's
 * emulated GL on the CPU: on 2 cores its buffer swaps took 50-440 ms while a run trained, and the
 * frame intervals' p95 stayed at 65-80 ms however little the page drew. No visitor's browser does
 * that: with a GPU it composites on the GPU, without one Chromium falls back to this software
 * compositor. Measured with both; WebGL in the worker still runs on SwiftShader.
 */
export const SOFTWARE_COMPOSITING = ['--disable-gpu-compositing'];

/** Frame figures next to their targets, plus the profile of the live run after Reset. */
export async function benchFrames(browser: Browser, base: string, opts: { log?: (m: string) => void; profile?: boolean } = {}) {
  if (opts.log) log = opts.log;
  const load = () => os.loadavg().map((x) => round(x, 3));
  const loadAtStart = load();
  // Warm the browser up (first renderer, wasm compile cache) on a throwaway page.
  const warm = await openPage(browser, `${base}?T=20&backend=wasm`, BENCH_CONTEXT);
  await waitDone(warm.page, null, 60_000).catch(() => undefined);
  await warm.close();
  log('live run after Reset');
  const reset = await liveAfterReset(browser, base, opts.profile ?? true);
  log(`after Reset: ${JSON.stringify((reset.whileTraining as { p50ms: number }) ?? null)}`);
  log(`cpu ms/s: ${JSON.stringify(reset.cpuMsPerSecondByThread)}`);
  log('first live run (?backend=wasm)');
  const first = await firstLiveRun(browser, base);
  log(`first live run: ${JSON.stringify(first.whileTraining)}`);
  const pick = (f: unknown) => {
    const x = f as { p50ms: number; p95ms: number; maxMs: number };
    return { p50ms: x.p50ms, p95ms: x.p95ms, maxMs: x.maxMs, meets: x.p50ms <= FRAME_TARGETS.p50ms && x.p95ms <= FRAME_TARGETS.p95ms };
  };
  return {
    target: FRAME_TARGETS.text,
    designTarget: TARGETS.frames,
    loadAverage: { atStart: loadAtStart, atEnd: load(), cores: os.cpus().length },
    summary: { liveAfterReset: pick(reset.whileTraining), firstLiveRun: pick(first.whileTraining), idle: pick(reset.idle) },
    liveAfterReset: reset,
    firstLiveRun: first,
  };
}

if (isMain(import.meta.url)) {
  const outDir = process.env.FRAMES_DIST ?? '.bench/frames-dist';
  // A build is reused only where FRAMES_DIST names it: the default folder is rebuilt each time (a
  // build left there from an older checkout once measured the old page).
  if (!process.env.FRAMES_DIST || !existsSync(`${outDir}/index.html`) || process.env.FRAMES_REBUILD === '1') {
    log(`build into ${outDir}`);
    await writePrecomputed();
    process.env.NODE_ENV = 'production';
    await build({ logLevel: 'warn', mode: 'production', build: { outDir, emptyOutDir: true, ...(process.env.FRAMES_MINIFY === '0' ? { minify: false } : {}) } });
  }
  const server = await preview({ build: { outDir }, preview: { port: 0, host: '127.0.0.1', open: false }, logLevel: 'warn' });
  // FRAMES_COMPOSITING=gl|software|both (default both): which compositor(s) to measure with.
  const which = process.env.FRAMES_COMPOSITING ?? 'both';
  const out: Record<string, unknown> = {};
  try {
    for (const [name, args] of [
      ['swiftshaderGl', []],
      ['softwareCompositing', SOFTWARE_COMPOSITING],
    ] as const) {
      if (which !== 'both' && which !== (name === 'swiftshaderGl' ? 'gl' : 'software')) continue;
      log(`Chromium ${args.length ? args.join(' ') : 'with the tests\' flags (compositing on SwiftShader GL)'}`);
      const browser = await launchChromium([...args]);
      try {
        out[name] = await benchFrames(browser, server.resolvedUrls!.local[0], { profile: process.env.FRAMES_PROFILE === '1' || process.env.FRAMES_PROFILE === 'trace' || (process.env.FRAMES_PROFILE !== '0' && name === 'swiftshaderGl') });
      } finally {
        await browser.close();
      }
    }
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } finally {
    await server.close();
  }
}

export type { Page };
