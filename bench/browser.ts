/**
 * `npm run bench:browser`: the page in real headless Chromium (Debian's /usr/bin/chromium) against
 * the production build (vite build into .bench/browser-dist + vite preview). Prints JSON on stdout,
 * progress on stderr. Numbers only, no pass/fail: the targets of shared/design.md ("Targets") are
 * printed next to them. About 3-4 minutes on the 2-core machine.
 *
 * Every figure is timed inside the page with performance.now() (0 = navigation start): an init
 * script records every change of the page's DOM hooks (status, run id, gd-t / gdm-t, backend chip,
 * steps/s) through a MutationObserver, every requestAnimationFrame tick, main-thread long tasks, and
 * every Enter key / click.
 *
 * - defaultExperiment: the default experiment (T = 1500) per forced backend (?backend=) and on the
 *   automatic choice: navigation -> 'done' and first logged row -> 'done'; then the same page again
 *   after the Reset button (skipped where the first run took too long). The cpu backend is timed
 *   with T = 300 and scaled (marked so). The automatic choice opens on the run precomputed at build
 *   time: its first run is the first figure, and the live run is the one after Reset.
 * - throughput: pair steps/s (GD and GD+M in one batch) per forced backend, at the default size and
 *   at 4x the examples (N = 2000, Ntest = 8000); steady state = the logged step counter going from
 *   20% to 80% of T.
 * - mainThreadFrames: frame intervals between the first row and 'done' (automatic choice), and idle.
 * - latency: navigation -> first row on screen; a parameter typed into its number input + Enter ->
 *   first frame showing the new run's first snapshot (median of a few).
 *
 * Other processes' CPU time is sampled along the way: anything else running on the machine (tests,
 * another build) slows every figure here, and the output says so.
 * BENCH_ONLY=auto,wasm limits the run to some backends. `npm run bench` (bench/report.ts) calls
 * benchBrowser with its own build, browser and sections.
 */
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import type { Browser, Page } from 'playwright-core';
import { DEFAULT_CONFIG } from '../src/sim/params';
import { type PageWithLog, launchChromium, openPage } from '../test/e2e/support/browser';
import { buildAndPreview } from '../test/e2e/support/server';
import { Sections, TARGETS as ALL_TARGETS, isMain, progress, round } from './common';

const BACKENDS = ['webgl', 'wasm', 'cpu'] as const;
type Forced = (typeof BACKENDS)[number] | 'auto';
const X4 = { N: DEFAULT_CONFIG.N * 4, Ntest: DEFAULT_CONFIG.Ntest * 4 };
const GAMMA_VALUES = [0.8, 0.85, 0.7, 0.95, 0.9];
const BETA_VALUES = [0.12, 0.08, 0.11];
/** A run predicted to take longer than this (s) is not repeated after Reset. */
const RESET_LIMIT_S = 45;
/** The cpu backend is slow (~25 steps/s in Node): its default experiment is timed on fewer steps and scaled. */
const CPU_T = 300;
/** The build the benchmark serves (the report reuses it for the sweep and the bundle sizes). */
export const BENCH_DIST = '.bench/browser-dist';

let log = progress('bench:browser');
const ms = (x: number) => (Number.isFinite(x) ? Math.round(x) : null);
const s = (msValue: number) => round(msValue / 1000);

const TARGETS = {
  experiment: ALL_TARGETS.experiment,
  stepsPerSecond: ALL_TARGETS.stepsPerSecond,
  frames: ALL_TARGETS.frames,
  firstRow: ALL_TARGETS.firstRow,
  slider: ALL_TARGETS.slider,
};

/** Runs in the page before its own scripts: records DOM-hook changes, frames, Enter keys and clicks. */
const INIT_SCRIPT = `(() => {
  const B = { frames: [], events: [], marks: [], longTasks: [] };
  window.__bench = B;
  const attr = (sel, name) => { const el = document.querySelector(sel); return el ? el.getAttribute(name) : null; };
  let last = '';
  const record = () => {
    const rate = document.querySelector('[data-testid=steps-per-second]');
    const e = {
      t: performance.now(),
      status: attr('[data-testid=status]', 'data-value'),
      runId: attr('[data-testid=runs]', 'data-run-id'),
      gdT: attr('[data-testid=gd-t]', 'data-value'),
      gdmT: attr('[data-testid=gdm-t]', 'data-value'),
      backend: attr('.chip[data-backend]', 'data-backend'),
      rate: rate ? rate.textContent : null,
      replayed: !!document.querySelector('.run-gd .note'),
    };
    const key = [e.status, e.runId, e.gdT, e.gdmT, e.backend, e.rate, e.replayed].join('|');
    if (key === last) return;
    last = key;
    B.events.push(e);
  };
  new MutationObserver(record).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  const frame = () => { B.frames.push(performance.now()); requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) B.longTasks.push([e.startTime, e.duration]); }).observe({ type: 'longtask' });
  } catch {}
  addEventListener('keydown', (e) => { if (e.key === 'Enter') B.marks.push({ type: 'enter', t: performance.now() }); }, true);
  addEventListener('click', (e) => B.marks.push({ type: 'click', t: performance.now(), text: (e.target && e.target.textContent) || '' }), true);
})();`;

interface PageEvent {
  t: number;
  status: string | null;
  runId: string | null;
  gdT: string | null;
  gdmT: string | null;
  backend: string | null;
  rate: string | null;
  replayed: boolean;
}
export interface Recorded {
  frames: number[];
  events: PageEvent[];
  marks: { type: string; t: number; text?: string }[];
  /** Main-thread tasks over 50 ms: [start, duration]. */
  longTasks: [number, number][];
}

/**
 * The page's CSP forbids eval, and Playwright evaluates string predicates (waitForFunction) with it:
 * the benchmark's contexts bypass the CSP, which changes nothing that is timed.
 */
export const BENCH_CONTEXT = { viewport: { width: 1280, height: 900 }, bypassCSP: true, initScript: INIT_SCRIPT };

async function open(browser: Browser, url: string): Promise<PageWithLog> {
  return openPage(browser, url, BENCH_CONTEXT);
}

export const recorded = (page: Page) => page.evaluate('window.__bench') as Promise<Recorded>;

/**
 * Wait (polling, so the page is not disturbed every frame) until a run newer than `after` is done or
 * failed; `after` null: any run, the precomputed one (run id 0, shown done) included.
 */
export async function waitDone(page: Page, after: string | null, timeoutMs: number): Promise<void> {
  const newer = after === null ? `(e.runId !== null && e.runId !== '')` : `Number(e.runId || 0) > ${Number(after || 0)}`;
  await page.waitForFunction(
    `window.__bench.events.some((e) => ${newer} && (e.status === 'done' || e.status === 'error'))`,
    undefined,
    { polling: 200, timeout: timeoutMs },
  );
}

const num = (v: string | null) => (v === null || v === '' ? Number.NaN : Number(v));

/** Timing of one run (one run id) from the recorded events. */
function runTiming(events: PageEvent[], runId: string, T: number) {
  const own = events.filter((e) => e.runId === runId);
  const firstRow = own.find((e) => num(e.gdT) >= 0 && num(e.gdmT) >= 0);
  const done = own.find((e) => e.status === 'done');
  const error = own.find((e) => e.status === 'error');
  // Steady state: the first events at or past 20% and 80% of T.
  const a = own.find((e) => num(e.gdmT) >= 0.2 * T);
  const b = own.find((e) => num(e.gdmT) >= 0.8 * T);
  const steady =
    a && b && b.t > a.t ? { fromStep: num(a.gdmT), toStep: num(b.gdmT), seconds: s(b.t - a.t), stepsPerSecond: round(((num(b.gdmT) - num(a.gdmT)) * 1000) / (b.t - a.t)) } : null;
  const lastRate = [...own].reverse().find((e) => e.rate)?.rate ?? null;
  return {
    firstRowAt: firstRow?.t ?? Number.NaN,
    doneAt: done?.t ?? Number.NaN,
    error: error ? 'status error' : null,
    steady,
    /** What the page's chip said last (the worker's smoothed rate). */
    chipStepsPerSecond: lastRate ? Number(lastRate.replace(/[^0-9.]/g, '')) : null,
    replayedGd: own.some((e) => e.replayed),
    backend: [...own].reverse().find((e) => e.backend)?.backend ?? null,
  };
}

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

export function frameStats(rec: Recorded, from: number, to: number) {
  const inside = rec.frames.filter((t) => t >= from && t <= to);
  const long = rec.longTasks.filter(([t]) => t >= from && t <= to);
  const intervals = inside.slice(1).map((t, i) => t - inside[i]).sort((x, y) => x - y);
  return {
    frames: inside.length,
    p50ms: round(quantile(intervals, 0.5)),
    p95ms: round(quantile(intervals, 0.95)),
    maxMs: round(intervals.at(-1) ?? Number.NaN),
    over20ms: intervals.filter((x) => x > 20).length,
    over50ms: intervals.filter((x) => x > 50).length,
    /** Main-thread tasks over 50 ms in the window: if frames are slow without them, the main thread was starved, not busy. */
    longTasks: long.length,
    longTasksMs: Math.round(long.reduce((sum, [, d]) => sum + d, 0)),
  };
}

const median = (xs: number[]) => {
  const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (!v.length) return Number.NaN;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

const query = (params: Record<string, string | number>) => `?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString()}`;

async function backendDetail(page: Page) {
  return page.evaluate(`(() => { const c = document.querySelector('.chip[data-backend]'); return c ? { name: c.getAttribute('data-backend'), reason: c.getAttribute('title') } : null; })()`) as Promise<{
    name: string;
    reason: string;
  } | null>;
}

/**
 * The default experiment on one page: the first run from navigation, then (unless too slow) a
 * second after the Reset button. `extra` runs on the same page once the first run is done.
 */
async function defaultExperiment(
  browser: Browser,
  base: string,
  forced: Forced,
  { T = DEFAULT_CONFIG.T, extra }: { T?: number; extra?: (b: PageWithLog) => Promise<Record<string, unknown>> } = {},
) {
  const params: Record<string, string | number> = {};
  if (forced !== 'auto') params.backend = forced;
  if (T !== DEFAULT_CONFIG.T) params.T = T;
  const b = await open(browser, `${base}${Object.keys(params).length ? query(params) : ''}`);
  const scale = DEFAULT_CONFIG.T / T;
  try {
    await waitDone(b.page, null, 240_000);
    let rec = await recorded(b.page);
    const nav = (await b.page.evaluate(`(() => { const n = performance.getEntriesByType('navigation')[0]; return n ? { dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd } : null; })()`)) as {
      dcl: number;
      load: number;
    } | null;
    const firstId = rec.events.find((e) => e.runId)?.runId ?? '';
    const first = runTiming(rec.events, firstId, T);
    const backend = await backendDetail(b.page);
    // On the default configuration the page opens on the run precomputed at build time: then the
    // first "run" measures the first figure, and the run after Reset is the live default experiment.
    const source = await b.page.getByTestId('source').getAttribute('data-value', { timeout: 2000 }).catch(() => null);
    const engineReadyAt = rec.events.find((e) => e.backend)?.t ?? Number.NaN;
    const frameAfter = (t: number) => rec.frames.find((f) => f >= t) ?? Number.NaN;
    const result: Record<string, unknown> = {
      asked: forced,
      backend: backend?.name ?? null,
      fellBack: forced !== 'auto' && backend?.name !== forced,
      backendReason: backend?.reason ?? null,
      precomputedFirst: !!source?.includes('precomputed'),
      source: source?.includes('precomputed')
        ? 'the first run is the precomputed one (first figure); the run after Reset is trained live'
        : 'trained live',
      ...(scale !== 1
        ? { shortened: `timed with T = ${T} and scaled to T = ${DEFAULT_CONFIG.T} (x${round(scale)}): training time scaled, page load and start-up as measured` }
        : {}),
      firstRun: {
        navigationToDoneS: s(first.firstRowAt + (first.doneAt - first.firstRowAt) * scale),
        firstRowToDoneS: s((first.doneAt - first.firstRowAt) * scale),
        ...(scale !== 1 ? { measuredWithT: T, measuredNavigationToDoneS: s(first.doneAt), measuredFirstRowToDoneS: s(first.doneAt - first.firstRowAt) } : {}),
        navigationToFirstRowMs: ms(first.firstRowAt),
        navigationToFirstRowFrameMs: ms(frameAfter(first.firstRowAt)),
        navigationToEngineReadyMs: ms(engineReadyAt),
        domContentLoadedMs: ms(nav?.dcl ?? Number.NaN),
        steadyState: first.steady,
        chipStepsPerSecond: first.chipStepsPerSecond,
        framesWhileTraining: frameStats(rec, first.firstRowAt, first.doneAt),
        error: first.error,
      },
    };
    if (result.precomputedFirst) log(`${forced}: precomputed run drawn ${ms(first.firstRowAt)} ms after navigation`);
    else log(`${forced}: backend ${backend?.name}, T = ${T} done in ${s(first.doneAt)} s (training ${s(first.doneAt - first.firstRowAt)} s, ${first.steady?.stepsPerSecond} steps/s)`);
    if (extra) Object.assign(result, await extra(b));
    const predicted = ((first.doneAt - first.firstRowAt) * scale) / 1000;
    if (!first.error && predicted <= RESET_LIMIT_S) {
      rec = await recorded(b.page);
      const before = rec.events.at(-1)?.runId ?? null;
      await b.page.getByRole('button', { name: 'Reset', exact: true }).click();
      await waitDone(b.page, before, 240_000);
      rec = await recorded(b.page);
      const clickAt = rec.marks.filter((m) => m.type === 'click' && m.text === 'Reset').at(-1)?.t ?? Number.NaN;
      const resetId = rec.events.at(-1)?.runId ?? '';
      const again = runTiming(rec.events, resetId, T);
      result.afterReset = {
        gdReplayed: again.replayedGd,
        ...(again.replayedGd ? { note: 'Reset keeps the configuration, so the worker replays GD from its cache and trains GD+M alone' } : {}),
        clickToDoneS: s(again.firstRowAt - clickAt + (again.doneAt - again.firstRowAt) * scale),
        clickToFirstRowMs: ms(again.firstRowAt - clickAt),
        firstRowToDoneS: s((again.doneAt - again.firstRowAt) * scale),
        steadyState: again.steady,
        framesWhileTraining: frameStats(rec, again.firstRowAt, again.doneAt),
        error: again.error,
      };
      log(`${forced}: after Reset done in ${s(again.doneAt - clickAt)} s${again.replayedGd ? ' (GD replayed, GD+M trained)' : ''}`);
      if (result.backend === null) {
        // Opened on the precomputed run: the worker (and its backend chip) came later.
        const later = await backendDetail(b.page);
        Object.assign(result, { backend: later?.name ?? null, backendReason: later?.reason ?? null });
      }
    } else {
      result.afterReset = { skipped: `the first run's training took ${round(predicted)} s (> ${RESET_LIMIT_S} s)` };
    }
    if (b.problems.length) result.problems = b.problems.slice(0, 10);
    return result;
  } finally {
    await b.close();
  }
}

/** Steady-state pair steps/s at 4x the examples. */
async function largeThroughput(browser: Browser, base: string, forced: Exclude<Forced, 'auto'>, defaultRate: number) {
  // About 8 s of training at a quarter of the default-size rate; at least 100 steps.
  const T = Math.min(DEFAULT_CONFIG.T, Math.max(100, Math.round(((defaultRate / 4) * 8) / 50) * 50));
  const b = await open(browser, `${base}${query({ backend: forced, ...X4, T })}`);
  try {
    await waitDone(b.page, null, 180_000);
    const rec = await recorded(b.page);
    const id = rec.events.find((e) => e.runId)?.runId ?? '';
    const run = runTiming(rec.events, id, T);
    const backend = await backendDetail(b.page);
    log(`${forced} 4x: ${run.steady?.stepsPerSecond} steps/s (T = ${T})`);
    return {
      ...X4,
      T,
      backend: backend?.name ?? null,
      fellBack: backend?.name !== forced,
      steadyState: run.steady,
      chipStepsPerSecond: run.chipStepsPerSecond,
      firstRowToDoneS: s(run.doneAt - run.firstRowAt),
      error: run.error,
      ...(b.problems.length ? { problems: b.problems.slice(0, 10) } : {}),
    };
  } finally {
    await b.close();
  }
}

/**
 * On the automatic-choice page, after its first run: idle frames, then parameters typed into their
 * number inputs + Enter, timed to the first frame that shows the new run's first snapshot.
 */
async function interactions(b: PageWithLog): Promise<Record<string, unknown>> {
  const { page } = b;
  // Idle baseline: one second of frames with nothing training.
  const idleFrom = (await page.evaluate('performance.now()')) as number;
  await page.waitForTimeout(1000);
  const idleTo = (await page.evaluate('performance.now()')) as number;

  const trial = async (key: string, value: number) => {
    const before = (await recorded(page)).events.at(-1)?.runId ?? null;
    const input = page.locator(`input[name=${key}]`);
    await input.fill(String(value));
    await input.press('Enter');
    // Until the new run's first row is in the DOM and a frame has started after it.
    await page.waitForFunction(
      `(() => {
        const B = window.__bench;
        const enter = B.marks.filter((m) => m.type === 'enter').at(-1);
        if (!enter) return false;
        const e = B.events.find((e) => e.t >= enter.t && Number(e.runId || 0) > ${Number(before || 0)} && e.gdmT !== null && e.gdmT !== '');
        return !!e && B.frames.some((f) => f >= e.t);
      })()`,
      undefined,
      { polling: 50, timeout: 30_000 },
    );
    const rec = await recorded(page);
    const enterAt = rec.marks.filter((m) => m.type === 'enter').at(-1)!.t;
    const isNew = (e: PageEvent) => e.t >= enterAt && Number(e.runId || 0) > Number(before || 0);
    const newRun = rec.events.find(isNew);
    const shown = rec.events.find((e) => isNew(e) && e.gdmT !== null && e.gdmT !== '');
    const frame = rec.frames.find((f) => f >= (shown?.t ?? Infinity)) ?? Number.NaN;
    // Let the new run train a little before the next change, as a reader would look at it.
    await page.waitForTimeout(400);
    return { value, toNewRunIdMs: ms((newRun?.t ?? Number.NaN) - enterAt), toFirstSnapshotMs: ms((shown?.t ?? Number.NaN) - enterAt), toFrameMs: ms(frame - enterAt) };
  };

  const gamma = [];
  for (const v of GAMMA_VALUES) gamma.push(await trial('gamma', v));
  const beta = [];
  for (const v of BETA_VALUES) beta.push(await trial('beta', v));
  // Back to the default setting (GAMMA_VALUES ends on it) so Reset times the default experiment again.
  await trial('beta', DEFAULT_CONFIG.beta);
  // Wait for the restored default run to finish, so Reset starts from a finished page.
  const current = (await recorded(page)).events.at(-1)?.runId ?? '';
  await page.waitForFunction(`window.__bench.events.some((e) => e.runId === ${JSON.stringify(current)} && e.status === 'done')`, undefined, {
    polling: 200,
    timeout: 120_000,
  });
  const rec = await recorded(page);
  const summary = (trials: { toFrameMs: number | null }[]) => ms(median(trials.map((t) => t.toFrameMs ?? Number.NaN)));
  log(`slider: gamma median ${summary(gamma)} ms, beta median ${summary(beta)} ms`);
  return {
    idleFrames: frameStats(rec, idleFrom, idleTo),
    sliderToFirstFrame: {
      how: 'value typed into input[name=KEY] + Enter; time from the Enter keydown to the first animation frame after the new run id and its first gdm-t row are in the DOM',
      target: TARGETS.slider,
      gamma: { medianMs: summary(gamma), note: 'GD+M only is retrained; GD is replayed from the cache', trials: gamma },
      beta: { medianMs: summary(beta), note: 'new data set: both runs retrained', trials: beta },
    },
  };
}


// ---------------------------------------------------------------------------------------------

export interface BrowserBenchOptions {
  /** Backends to time (BENCH_ONLY); all when absent. */
  only?: readonly string[];
  /** Records wall time and other processes' CPU per part (the report shares one across everything). */
  sections?: Sections;
  log?: (msg: string) => void;
}

/** Every browser figure against a served production build (`base`: its URL) in `browser`. */
export async function benchBrowser(browser: Browser, base: string, opts: BrowserBenchOptions = {}): Promise<Record<string, unknown>> {
  if (opts.log) log = opts.log;
  const only = (name: Forced) => !opts.only || opts.only.includes(name);
  const section = (part: string | null) => opts.sections?.enter(part && `browser.${part}`);
  const cpus = os.cpus();
  const output: Record<string, unknown> = {};
  output.machine = {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.arch()}`,
    node: process.version,
    chromium: browser.version(),
    tfjs: tf.version_core,
  };
  output.config = {
    default: { N: DEFAULT_CONFIG.N, Ntest: DEFAULT_CONFIG.Ntest, d: DEFAULT_CONFIG.d, P: DEFAULT_CONFIG.P, m: DEFAULT_CONFIG.m, T: DEFAULT_CONFIG.T, logEvery: DEFAULT_CONFIG.logEvery },
    large: { ...X4, note: '4x the examples (train and test); other parameters default' },
  };
  output.targets = TARGETS;

  // Warm the browser up (GPU process, first renderer) on a throwaway page: a reader's browser is running already.
  section('warm-up');
  log('warm-up page');
  const warm = await open(browser, `${base}${query({ T: 20 })}`);
  await waitDone(warm.page, null, 60_000).catch(() => undefined);
  await warm.close();

  const experiments: Record<string, Record<string, unknown>> = {};
  for (const forced of ['auto', 'wasm', 'webgl', 'cpu'] as const) {
    if (!only(forced)) continue;
    log(`default experiment, backend ${forced}`);
    section(`defaultExperiment.${forced}`);
    try {
      experiments[forced] = await defaultExperiment(browser, base, forced, {
        T: forced === 'cpu' ? CPU_T : DEFAULT_CONFIG.T,
        extra: forced === 'auto' ? interactions : undefined,
      });
    } catch (e) {
      experiments[forced] = { error: e instanceof Error ? e.message : String(e) };
      log(`${forced}: ${experiments[forced].error}`);
    }
  }

  const throughput: Record<string, unknown> = {
    unit: 'pair steps/s: one step = one full-batch step of GD and of GD+M, trained together in one batch',
    how: 'logged step counter from 20% to 80% of T, timed in the page; "chip" = the page\'s own smoothed figure at the end',
    target: TARGETS.stepsPerSecond,
  };
  for (const forced of BACKENDS) {
    if (!only(forced)) continue;
    section(`throughput.${forced}.x4`);
    const exp = experiments[forced] as { firstRun?: { steadyState: { stepsPerSecond: number } | null; chipStepsPerSecond: number | null }; backend?: string; fellBack?: boolean };
    const rate = exp.firstRun?.steadyState?.stepsPerSecond ?? Number.NaN;
    let large: unknown;
    try {
      log(`4x examples, backend ${forced}`);
      large = await largeThroughput(browser, base, forced, Number.isFinite(rate) ? rate : 20);
    } catch (e) {
      large = { error: e instanceof Error ? e.message : String(e) };
    }
    throughput[forced] = {
      backend: exp.backend ?? null,
      fellBack: exp.fellBack ?? null,
      default: {
        T: forced === 'cpu' ? CPU_T : DEFAULT_CONFIG.T,
        stepsPerSecond: round(rate),
        chip: exp.firstRun?.chipStepsPerSecond ?? null,
        from: 'the first run of defaultExperiment',
      },
      x4: large,
    };
  }
  section(null);

  type Run = Record<string, unknown> & { framesWhileTraining?: unknown };
  const auto = (experiments.auto ?? {}) as { firstRun?: Run; afterReset?: Run; backend?: string; precomputedFirst?: boolean; idleFrames?: unknown; sliderToFirstFrame?: unknown };
  // On the default page the first run is the precomputed one (nothing trains): the frames of the
  // live run after Reset are the ones that count.
  const trained = auto.precomputedFirst ? auto.afterReset : auto.firstRun;
  output.throughput = throughput;
  output.defaultExperiment = { target: TARGETS.experiment, ...experiments };
  output.mainThreadFrames = {
    target: TARGETS.frames,
    backend: auto.backend ?? null,
    whileTraining: trained?.framesWhileTraining ?? null,
    idle: auto.idleFrames ?? null,
    note: `automatic choice, ${auto.precomputedFirst ? 'the live run after Reset (the page opens on the precomputed run)' : 'first run'}, frames between the first logged row and done; idle = 1 s after the first run`,
  };
  output.latency = {
    firstRow: {
      target: TARGETS.firstRow,
      note: auto.precomputedFirst
        ? 'the default page draws the run precomputed at build time: first row = that trace in the DOM'
        : 'the page trained live (no precomputed trace was served): first row = worker start, backend init, data, step 0',
      navigationToFirstRowMs: auto.firstRun?.navigationToFirstRowMs ?? null,
      navigationToFirstRowFrameMs: auto.firstRun?.navigationToFirstRowFrameMs ?? null,
      navigationToEngineReadyMs: auto.firstRun?.navigationToEngineReadyMs ?? null,
      domContentLoadedMs: auto.firstRun?.domContentLoadedMs ?? null,
    },
    sliderToFirstFrame: auto.sliderToFirstFrame ?? null,
  };
  return output;
}

if (isMain(import.meta.url)) {
  const started = performance.now();
  const sections = new Sections();
  sections.enter('build');
  log('vite build + preview');
  const server = await buildAndPreview(BENCH_DIST);
  const browser = await launchChromium();
  let output: Record<string, unknown>;
  try {
    output = await benchBrowser(browser, server.url, { only: process.env.BENCH_ONLY?.split(',').map((x) => x.trim()), sections });
    Object.assign(output, sections.finish(), { benchSeconds: s(performance.now() - started) });
  } finally {
    await browser.close();
    await server.close();
  }
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
}
