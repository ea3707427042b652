/**
 * `npm run bench`: every benchmark in one JSON report on stdout (progress on stderr). Numbers only,
 * no pass/fail: the targets of shared/design.md are printed next to them.
 *
 *   engine  - the engine in Node per backend (bench/engine.ts)
 *   session - the worker's TrainingSession in Node: its first live run after the warm-up, and later ones (bench/session.ts)
 *   browser - the page in headless Chromium (bench/browser.ts)
 *   seeds   - the default lineup (the pair and three what-ifs) and five seeds of the pair in the page (bench/seeds.ts)
 *   sweep   - the phase-diagram grid (S = 5 seeds at the defaults) in Node and in the page, and the block-size table (bench/sweep.ts)
 *   bundle  - gzip sizes of the built chunks (bench/bundle.ts)
 *   engines - pair steps/s and the default experiment in Chromium, Firefox and WebKit, with ratios (bench/engines.ts)
 *   lighthouse - Lighthouse mobile on the page and on ?panel=race, served with gzip (bench/lighthouse.ts)
 *   frames  - main-thread frames while a live run trains on wasm, with a trace and a JS profile (bench/frames.ts)
 *   cli     - the whole `npm run sim` process at the defaults and with --help (bench/cli.ts)
 *
 * One production build (.bench/browser-dist) serves the browser and sweep parts and is measured for
 * the bundle. About 10 minutes on the 2-core machine; run it on a quiet machine: other processes'
 * CPU time is recorded per part, and a warning names the parts they slowed.
 * BENCH_ONLY=auto,wasm limits the browser part to some backends; BENCH_QUICK=1 runs both sweeps
 * with T = 300 (for checking the benchmark, not for figures).
 */
import * as os from 'node:os';
import { BENCH_DIST, benchBrowser } from './browser';
import { bundleSizes } from './bundle';
import { Sections, TARGETS, progress, round } from './common';
import { benchCli } from './cli';
import { benchEngine } from './engine';
import { benchEngines } from './engines';
import { benchLighthouse } from './lighthouse';
import { SOFTWARE_COMPOSITING, benchFrames } from './frames';
import { benchSeeds } from './seeds';
import { benchSession } from './session';
import { benchBlockRows, benchSweepBrowser, benchSweepNode } from './sweep';
import { launchChromium } from '../test/e2e/support/browser';
import { buildAndPreview } from '../test/e2e/support/server';
import { serveStatic } from '../test/e2e/support/static-server';

const started = performance.now();
const log = progress('bench', started);
const quick = process.env.BENCH_QUICK === '1';
const only = process.env.BENCH_ONLY?.split(',').map((x) => x.trim());
const load = () => os.loadavg().map((x) => round(x, 3));
const sections = new Sections();
const cpus = os.cpus();

const report: Record<string, unknown> = {
  machine: {
    cpus: cpus.length,
    model: cpus[0]?.model ?? 'unknown',
    memoryGiB: round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.arch()}`,
    node: process.version,
    chromium: null as string | null,
    loadAverageAtStart: load(),
    loadAverageAtEnd: null as (number | null)[] | null,
  },
  targets: TARGETS,
  ...(quick || only ? { scope: { quick, browserBackends: only ?? 'all' } } : {}),
};
const machine = report.machine as { chromium: string | null; loadAverageAtEnd: (number | null)[] | null };

/** One part: its figures, or the error that stopped it (the other parts still run). */
async function part<R>(name: string, run: () => Promise<R>): Promise<R | { error: string }> {
  sections.enter(name);
  log(`${name}`);
  try {
    return await run();
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    log(`${name} failed: ${error}`);
    return { error };
  }
}

report.engine = await part('engine', () => benchEngine(progress('bench:engine', started)));
report.session = await part('session', () => benchSession(progress('bench:session', started)));
report.cli = await part('cli', () => benchCli(progress('bench:cli', started)));
const sweep: Record<string, unknown> = {};
report.sweep = sweep;
sweep.node = await part('sweep.node', () => benchSweepNode({ quick, log }));
sweep.blockRows = await part('sweep.blockRows', () => benchBlockRows({ log }));

sections.enter('build');
log('vite build + preview');
const server = await buildAndPreview(BENCH_DIST);
try {
  report.bundle = await part('bundle', async () => bundleSizes(BENCH_DIST));
  const browser = await launchChromium();
  machine.chromium = browser.version();
  try {
    report.browser = await part('browser', () => benchBrowser(browser, server.url, { only, sections, log: progress('bench:browser', started) }));
    report.seeds = await part('seeds', () => benchSeeds(browser, server.url, progress('bench:seeds', started)));
    sweep.browser = await part('sweep.browser', () => benchSweepBrowser(browser, server.url, { quick, log }));
    report.frames = await part('frames', () => benchFrames(browser, server.url, { log: progress('bench:frames', started) }));
  } finally {
    await browser.close();
  }
  // The same frames with Chromium's software compositor, as Chromium composites on a machine
  // without a usable GPU (the tests' --use-angle=swiftshader also composites through SwiftShader's
  // emulated GL, which no visitor's browser does): see SOFTWARE_COMPOSITING in bench/frames.ts.
  const soft = await launchChromium(SOFTWARE_COMPOSITING);
  try {
    report.framesSoftwareCompositing = await part('framesSoftwareCompositing', () =>
      benchFrames(soft, server.url, { log: progress('bench:frames (software compositing)', started), profile: false }),
    );
  } finally {
    await soft.close();
  }
} finally {
  await server.close();
}
// the same build, served with gzip: the three engines side by side, then Lighthouse (its server in a process of its own)
const gzipServer = await serveStatic(BENCH_DIST, { gzip: true });
try {
  report.engines = await part('engines', () => benchEngines(gzipServer.url, progress('bench:engines', started)));
} finally {
  await gzipServer.close();
}
report.lighthouse = await part('lighthouse', () => benchLighthouse(BENCH_DIST, progress('bench:lighthouse', started)));

machine.loadAverageAtEnd = load();
const { otherProcesses, warning } = sections.finish();
const { machine: m, targets, scope, engine, session, browser, bundle, frames, cli, engines, lighthouse, seeds } = report;
/** Issue #17's figures next to their targets, first in the report. */
const get = (o: unknown, ...keys: string[]) => keys.reduce<unknown>((x, k) => (x && typeof x === 'object' ? (x as Record<string, unknown>)[k] : undefined), o);
const smooth = {
  loadAverage: { atStart: m && get(m, 'loadAverageAtStart'), atEnd: machine.loadAverageAtEnd, note: 'figures mean something only when this is well under the core count' },
  frames: {
    target: get(frames, 'target'),
    liveAfterReset: get(frames, 'summary', 'liveAfterReset'),
    firstLiveRun: get(frames, 'summary', 'firstLiveRun'),
    idle: get(frames, 'summary', 'idle'),
    mainThreadCpuMsPerSecond: get(frames, 'liveAfterReset', 'cpuMsPerSecondByThread'),
    softwareCompositing: {
      note: 'the same with --disable-gpu-compositing: how Chromium composites without a GPU (the default flags composite through SwiftShader GL)',
      liveAfterReset: get(report.framesSoftwareCompositing, 'summary', 'liveAfterReset'),
      firstLiveRun: get(report.framesSoftwareCompositing, 'summary', 'firstLiveRun'),
      idle: get(report.framesSoftwareCompositing, 'summary', 'idle'),
      cpuMsPerSecondByThread: get(report.framesSoftwareCompositing, 'liveAfterReset', 'cpuMsPerSecondByThread'),
    },
  },
  pair: {
    target: 'issue #17: the default pair (GD and GD+M, T = 1500) trains in <= 1.0 s in the page on wasm, or within 20 %',
    pageAfterResetS: get(report.framesSoftwareCompositing, 'liveAfterReset', 'trainingS'),
    pageFirstLiveRunS: get(report.framesSoftwareCompositing, 'firstLiveRun', 'trainingS'),
    pageWorkerCpuS: get(report.framesSoftwareCompositing, 'liveAfterReset', 'workerCpuS'),
    nodeInProcessS: get(engine, 'backends', 'wasm', 'experiment', 'totalSeconds'),
    nodeSessionFirstLiveRunS: get(session, 'firstLiveRunS'),
    nodeSessionLaterRunsS: get(session, 'laterRunsS'),
    note: 'software compositing; pageWorkerCpuS is the training worker\'s CPU time from Reset to done, the engine\'s work in the page: the wall time is that over the share of a core the worker gets. nodeSession*: the worker\'s own training code (TrainingSession) in Node, after its warm-up, one fresh process each: the page\'s figure without the browser',
  },
  cli: {
    defaults: { target: get(cli, 'targets', 'defaults'), npmRunSimS: get(cli, 'defaults', 'npm', 'medianS'), nodeS: get(cli, 'defaults', 'node', 'medianS') },
    help: { target: get(cli, 'targets', 'help'), npmRunSimS: get(cli, 'help', 'npm', 'medianS'), nodeS: get(cli, 'help', 'node', 'medianS') },
    npmStartupS: get(cli, 'npmStartupS'),
  },
};
// issue #17's summary, machine, targets, engine, session, browser, engines, frames, cli, sweep, bundle, lighthouse, then how quiet the machine was.
const out = { smooth, machine: m, targets, scope, engine, session, browser, seeds, engines, frames, cli, sweep, bundle, lighthouse, otherProcesses, warning, benchSeconds: round((performance.now() - started) / 1000) };
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
