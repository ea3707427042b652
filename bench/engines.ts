/**
 * `npm run bench:engines`: the page's training in the three engines, side by side: Chromium
 * (playwright-core), Firefox ESR (puppeteer-core over WebDriver BiDi) and WebKitGTK's MiniBrowser
 * (WebKitWebDriver under Xvfb), all through test/e2e/support/engines.ts and measured by the same
 * code in the page, so the ratios compare engines and not harnesses. Prints JSON on stdout.
 *
 * Per engine, on wasm (forced with ?backend=wasm: the best backend these engines have here, and
 * a live run rather than the precomputed one):
 * - pairStepsPerSecond: GD and GD+M in one batch at the default size, steady state = the page's
 *   logged step going from 20% to 80% of T = 6000 (best of two page loads);
 * - defaultExperimentS: the full default experiment (T = 1500), navigation -> 'done' (best of two);
 * - the ratios of both to Chromium's (design.md's target: Firefox and WebKit >= 0.5 of Chromium's
 *   pair steps/s).
 * The browser's own chosen backend and its reason (the status chip, automatic choice) are recorded.
 */
import { DEFAULT_CONFIG } from '../src/sim/params';
import { type EngineName, type EnginePage, engineMissing, launchEngine } from '../test/e2e/support/engines';
import { query } from '../test/e2e/support/page';
import { serveStatic } from '../test/e2e/support/static-server';
import { buildSite } from '../test/e2e/support/server';
import { isMain, progress, round } from './common';

const ALL: (EngineName | 'chromium')[] = ['chromium', 'firefox', 'webkit'];
const THROUGHPUT_T = 6000;
export const ENGINE_TARGET = 'Firefox and WebKit train at no less than half Chromium’s pair steps/s';

/** Samples (ms since navigation, logged step of GD+M) every 10 ms until the run is done at T. */
const SAMPLE = `const T = arguments[0];
  return new Promise((done, fail) => {
    const rec = [];
    const attr = (sel, name) => document.querySelector(sel)?.getAttribute(name);
    const timer = setInterval(() => {
      const status = attr('[data-testid=status]', 'data-value');
      const t = Number(attr('[data-testid=gdm-t]', 'data-value') || 0);
      rec.push([performance.now(), t]);
      if (status === 'error') { clearInterval(timer); fail(new Error('the page failed')); }
      if (status === 'done' && t === T) { clearInterval(timer); done({ rec, doneAt: performance.now(), source: attr('[data-testid=source]', 'data-value'), backend: attr('.chip[data-backend]', 'data-backend') }); }
    }, 10);
  });`;

interface Sampled {
  rec: [number, number][];
  doneAt: number;
  source: string | null;
  backend: string | null;
}

async function sampleRun(page: EnginePage, url: string, T: number): Promise<Sampled> {
  await page.goto(url);
  return page.run<Sampled>(SAMPLE, T);
}

/** Steps/s while the logged step goes from 20% to 80% of T. */
function steadyRate({ rec }: Sampled, T: number): number {
  const a = rec.find(([, t]) => t >= 0.2 * T);
  const b = rec.find(([, t]) => t >= 0.8 * T);
  if (!a || !b || b[0] <= a[0]) return Number.NaN;
  return ((b[1] - a[1]) / (b[0] - a[0])) * 1000;
}

async function benchOne(name: EngineName | 'chromium', base: string, log: (m: string) => void) {
  const page = await launchEngine(name);
  try {
    const rates: number[] = [];
    const throughputUrl = base + query({ ...DEFAULT_CONFIG, T: THROUGHPUT_T }, { backend: 'wasm' });
    for (let k = 0; k < 2; k++) {
      const s = await sampleRun(page, throughputUrl, THROUGHPUT_T);
      if (s.backend !== 'wasm') throw new Error(`${name}: trained on ${s.backend}, not wasm`);
      rates.push(steadyRate(s, THROUGHPUT_T));
      log(`${name}: ${Math.round(rates.at(-1)!)} pair steps/s`);
    }
    const experiment: number[] = [];
    const experimentUrl = base + query(DEFAULT_CONFIG, { backend: 'wasm' });
    for (let k = 0; k < 2; k++) {
      const s = await sampleRun(page, experimentUrl, DEFAULT_CONFIG.T);
      if (s.source !== 'live') throw new Error(`${name}: the default experiment was not trained live`);
      experiment.push(s.doneAt / 1000);
      log(`${name}: default experiment ${experiment.at(-1)!.toFixed(2)} s`);
    }
    // what the page picks on its own (the default page opens on the precomputed run; a change trains live)
    await page.goto(base + query({ ...DEFAULT_CONFIG, seed: 1 }));
    await page.waitFor("document.querySelector('[data-testid=status]')?.getAttribute('data-value') === 'done'", 120_000, 'the automatic run');
    const chip = await page.run<string>("return document.querySelector('.chip')?.textContent ?? '';");
    return {
      browser: page.version,
      automaticChoice: chip,
      pairStepsPerSecond: round(Math.max(...rates.filter(Number.isFinite))),
      pairStepsPerSecondRuns: rates.map((r) => round(r)),
      defaultExperimentS: round(Math.min(...experiment)),
      defaultExperimentRunsS: experiment.map((x) => round(x)),
    };
  } finally {
    await page.close();
  }
}

export async function benchEngines(base: string, log = progress('bench:engines')): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {
    target: ENGINE_TARGET,
    method: `wasm forced; pair steps/s: steady state 20%-80% of T = ${THROUGHPUT_T} at the default size, best of 2; default experiment: navigation -> done, best of 2; the same in-page sampler in every engine`,
  };
  const figures: Partial<Record<EngineName | 'chromium', { pairStepsPerSecond: number | null; defaultExperimentS: number | null }>> = {};
  for (const name of ALL) {
    const missing = name === 'chromium' ? null : engineMissing(name);
    if (missing) {
      out[name] = { error: `${missing} is missing` };
      continue;
    }
    try {
      const r = await benchOne(name, base, log);
      figures[name] = r;
      out[name] = r;
    } catch (e) {
      out[name] = { error: e instanceof Error ? e.message : String(e) };
      log(`${name} failed: ${String(e)}`);
    }
  }
  const c = figures.chromium;
  const ratios: Record<string, unknown> = {};
  for (const name of ['firefox', 'webkit'] as const) {
    const f = figures[name];
    if (!c || !f) continue;
    ratios[name] = {
      pairStepsPerSecond: round((f.pairStepsPerSecond ?? Number.NaN) / (c.pairStepsPerSecond ?? Number.NaN)),
      // < 1 means faster than Chromium
      defaultExperimentTime: round((f.defaultExperimentS ?? Number.NaN) / (c.defaultExperimentS ?? Number.NaN)),
    };
  }
  out.ratiosToChromium = ratios;
  return out;
}

/** The build the engines benchmark serves on its own. */
const DIST = '.bench/engines-dist';

if (isMain(import.meta.url)) {
  const log = progress('bench:engines');
  log('build');
  await buildSite(DIST);
  const server = await serveStatic(DIST, { gzip: true });
  try {
    process.stdout.write(`${JSON.stringify(await benchEngines(server.url, log), null, 2)}\n`);
  } finally {
    await server.close();
  }
}
