/**
 * The page in Firefox (Debian's firefox-esr, over WebDriver BiDi) and in WebKit (WebKitGTK's
 * MiniBrowser, the engine of Safari, through WebKitWebDriver under Xvfb): per engine, the smoke a
 * visitor's browser must pass. The default page opens with no error and the story plays; a live
 * run trains on the engine's best backend and ends on Node's numbers; an embed draws its figure; a
 * PNG and a CSV export download; a worker that dies is replaced and its run ends on the same numbers.
 * Screenshots land in test-results/screenshots/<engine>-*.png.
 *
 * The built page (global setup) is served by test/e2e/support/static-server.ts with its probe (see
 * support/engines.ts for why), which also fails any request the build cannot answer.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runPairSync } from '../../src/engine/experiment';
import { generateDataset } from '../../src/sim/data';
import { type Config, DEFAULT_CONFIG } from '../../src/sim/params';
import { loggedSteps } from '../../src/sim/trace';
import { TRACE_COLUMNS } from '../../src/ui/export/data';
import { switchBackend } from '../support/tf';
import { ENGINES, type EngineName, type EnginePage, launchEngine } from './support/engines';
import { query } from './support/page';
import { type StaticServer, serveStatic } from './support/static-server';

// the URL the global setup served proves the build is there; this server serves the same folder
inject('baseUrl');
const DIST = process.env.E2E_DIST || 'dist';
const SHOTS = 'test-results/screenshots';
const SHORT: Config = { ...DEFAULT_CONFIG, seeds: 1, N: 150, Ntest: 300, T: 300, logEvery: 10, seed: 3 };
/** Long enough to still be training when the worker is killed (a few seconds on wasm). */
const LONG: Config = { ...DEFAULT_CONFIG, seeds: 1, N: 120, Ntest: 200, T: 6000, logEvery: 10, seed: 4 };

let server: StaticServer;
beforeAll(async () => {
  server = await serveStatic(DIST, { probe: true });
  await switchBackend('wasm');
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(() => server?.close());

const RUN_NUMBERS = `const v = (id) => { const r = document.querySelector('[data-testid=' + id + ']')?.getAttribute('data-value'); return r === null || r === undefined || r === '' ? null : Number(r); };
  const out = {};
  for (const run of ['gd', 'gdm']) out[run] = { t: v(run + '-t'), trainErr: v(run + '-trainErr'), testErr: v(run + '-testErr'), testErrSmall: v(run + '-testErrSmall'), cMax: v(run + '-cMax') };
  return out;`;
const attr = (selector: string, name: string) => `document.querySelector(${JSON.stringify(selector)})?.getAttribute(${JSON.stringify(name)})`;
const STATUS = attr('[data-testid=status]', 'data-value');
const RUN_ID = `Number(${attr('[data-testid=runs]', 'data-run-id')})`;

/** The page's last numbers for both runs are Node's on wasm for the same config (float32 tolerance). */
async function expectNodeNumbers(page: EnginePage, config: Config) {
  const want = runPairSync(config, generateDataset(config));
  const got = await page.run<Record<'gd' | 'gdm', Record<string, number | null>>>(RUN_NUMBERS);
  for (const run of ['gd', 'gdm'] as const) {
    const last = want[run].rows.at(-1)!;
    expect(got[run].t, run).toBe(config.T);
    expect(got[run].cMax, `${run} cMax`).toBeCloseTo(last.cMax, 5);
    expect(got[run].trainErr, `${run} trainErr`).toBeCloseTo(last.trainErr, 6);
    expect(got[run].testErr, `${run} testErr`).toBeCloseTo(last.testErr, 6);
    expect(got[run].testErrSmall, `${run} testErrSmall`).toBeCloseTo(last.testErrSmall, 6);
  }
}

async function expectNoProblems(page: EnginePage) {
  const problems = [...(await page.problems()), ...server.failures];
  expect(problems, problems.join('\n')).toEqual([]);
}

/** A PNG's pixel size from its IHDR chunk. */
const pngSize = (b: Buffer) => ({ w: b.readUInt32BE(16), h: b.readUInt32BE(20) });

describe.each(ENGINES)('%s', (engine: EngineName) => {
  let page: EnginePage;
  beforeAll(async () => {
    page = await launchEngine(engine);
  });
  afterAll(() => page?.close());

  it('the default page opens on the precomputed run with no error, and the story plays', async () => {
    await page.goto(server.url);
    await page.waitFor(`${STATUS} === 'done'`, 120_000, 'the first run');
    expect(await page.run(`return ${attr('[data-testid=source]', 'data-value')};`)).toBe('precomputed');
    await page.waitFor(`${attr('[data-panel=race] canvas', 'data-drawn-t')} === '${DEFAULT_CONFIG.T}'`, 30_000, 'the race drawn');
    // every figure and the map below it have drawn
    await page.waitFor("document.querySelectorAll('[data-panel] svg, [data-panel] canvas').length >= 6 && document.querySelector('[data-panel=phase] [data-export]')", 60_000, 'the figures');
    await page.screenshot(`${SHOTS}/${engine}-page.png`);

    // scene 1, then scene 2 from the Next button: its panel lights up and the cursor replays its window
    await page.click('.scene-nav button:nth-child(2)');
    await page.waitFor("document.querySelector('[data-panel=data].highlighted')", 30_000, 'scene 1');
    await page.click('.scene-nav button:nth-child(2)');
    await page.waitFor("document.querySelector('[data-panel=feature].highlighted')", 30_000, 'scene 2');
    expect(await page.run(`return ${attr('[data-scene]', 'data-scene')};`)).toBe('learn');
    const seen = await page.run<number[]>(`return new Promise((done) => {
      const seen = [];
      const read = () => Number(document.querySelector('[data-testid=shown-t]').getAttribute('data-value'));
      const timer = setInterval(() => {
        seen.push(read());
        const n = seen.length;
        // stood still for a second: the replay has ended
        if (n > 300 || (n > 20 && seen.slice(n - 20).every((t) => t === seen[n - 1]))) { clearInterval(timer); done(seen); }
      }, 50);
    });`);
    expect(new Set(seen).size).toBeGreaterThan(3);
    expect(seen.every((t, i) => i === 0 || t >= seen[i - 1])).toBe(true);
    expect(seen.at(-1)!).toBeLessThan(DEFAULT_CONFIG.T);
    await page.screenshot(`${SHOTS}/${engine}-story.png`);
    await expectNoProblems(page);
  });

  it('a live run trains in the worker on the engine’s best backend and ends on Node’s numbers; PNG and CSV download', async () => {
    await page.goto(server.url + query(SHORT));
    await page.waitFor(`${STATUS} === 'done'`, 120_000, 'the live run');
    expect(await page.run(`return ${attr('[data-testid=source]', 'data-value')};`)).toBe('live');
    const chip = await page.run<{ backend: string; text: string }>(
      "const c = document.querySelector('.chip[data-backend]'); return { backend: c.getAttribute('data-backend'), text: c.textContent };",
    );
    // WebGL where the engine offers WebGL2 in a worker (and it measures faster), else wasm: never plain JavaScript
    expect(['webgl', 'wasm'], chip.text).toContain(chip.backend);
    if (chip.backend === 'wasm') expect(chip.text).toMatch(/WebGL2 is not available in a worker here|faster|measured/);
    await expectNodeNumbers(page, SHORT);

    await page.click('[data-panel=race] details.share-export summary');
    await page.click('[data-panel=race] [data-export=png]');
    const png = await page.download(`momentum-race-t${SHORT.T}.png`);
    expect([...png.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    const cssWidth = await page.run<number>("return document.querySelector('[data-panel=race]').getBoundingClientRect().width;");
    expect(pngSize(png).w).toBe(Math.round(2 * cssWidth));
    expect(pngSize(png).h).toBeGreaterThan(100);

    await page.click('[data-panel=race] [data-export=csv]');
    const lines = (await page.download('momentum-race.csv')).toString('utf8').trimEnd().split('\n');
    expect(lines[0].split(',')).toEqual(['run', ...TRACE_COLUMNS]);
    for (const run of ['gd', 'gdm']) expect(lines.filter((l) => l.startsWith(`${run},`))).toHaveLength(loggedSteps(SHORT.T, SHORT.logEvery, SHORT.logDense).length);
    await expectNoProblems(page);
  });

  // A phone or a laptop with four cores or more trains half of each lineup on a helper thread (a
  // worker started by the training worker): ?threads=2 asks for it on this 2-core machine.
  it('two training threads (?threads=2): the helper thread trains half the pair, Node’s numbers, no incident', async () => {
    await page.goto(server.url + query(SHORT, { threads: '2' }));
    await page.waitFor(`${STATUS} === 'done'`, 120_000, 'the live run on two threads');
    const chip = await page.run<{ threads: string | null; incident: number }>(
      "const c = document.querySelector('.chip[data-backend]'); return { threads: c.getAttribute('data-threads'), incident: c.querySelectorAll('[data-testid=incident]').length };",
    );
    expect(chip).toEqual({ threads: '2', incident: 0 });
    await expectNodeNumbers(page, SHORT);
    await expectNoProblems(page);
  });

  it('an embed (?panel=race) draws its figure alone', async () => {
    await page.goto(server.url + query(SHORT, { panel: 'race', theme: 'dark' }));
    await page.waitFor(`${STATUS} === 'done' && ${attr('[data-panel=race] canvas', 'data-drawn-t')} === '${SHORT.T}'`, 120_000, 'the embed');
    const shape = await page.run<{ panels: number; sliders: number; chrome: number; dots: boolean }>(`
      const canvas = document.querySelector('[data-panel=race] canvas');
      const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let dots = false;
      for (let i = 3; i < px.length; i += 4) if (px[i] > 0) { dots = true; break; }
      return { panels: document.querySelectorAll('[data-panel]').length, sliders: document.querySelectorAll('input[type=range]').length,
        chrome: document.querySelectorAll('header, h1, .story, .playback').length, dots };`);
    expect(shape).toEqual({ panels: 1, sliders: 0, chrome: 0, dots: true });
    await page.screenshot(`${SHOTS}/${engine}-embed-race.png`);
    await expectNoProblems(page);
  });

  it('a worker that dies mid-run is replaced; the run starts again and ends on Node’s numbers', async () => {
    await page.goto(server.url + query(LONG, { debug: '1' }));
    await page.waitFor(`Number(${attr('[data-testid=gdm-t]', 'data-value')}) >= 200`, 120_000, 'the run under way');
    const runId = await page.run<number>(`return ${RUN_ID};`);
    await page.run('window.__momentumDebug.crash();');
    await page.waitFor("document.querySelector('[data-testid=incident]')", 90_000, 'the incident');
    expect(await page.run<string>("return document.querySelector('[data-testid=incident]').textContent;")).toMatch(
      /The training worker stopped answering \(silent for \d+ s\); a new one took over and the run started again from step 0\./,
    );
    await page.waitFor(`${STATUS} === 'done'`, 120_000, 'the restarted run');
    expect(await page.run<number>(`return ${RUN_ID};`)).toBe(runId);
    await expectNodeNumbers(page, LONG);
    await expectNoProblems(page);
  });
});
