/**
 * Every failure the page recovers from, forced in real Chromium: a diverging learning rate, a lost
 * WebGL context mid-run, a browser without WebGL, an uncaught error in the worker and a dead worker.
 * Each test checks what the reader is told and that the numbers afterwards are the right ones.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Config, DEFAULT_CONFIG } from '../../src/sim/params';
import { divergence } from '../../src/sim/trace';
import { switchBackend } from '../support/tf';
import { launchChromium, openPage } from './support/browser';
import { nodeRuns } from './support/node';
import { backendShown, expectNoProblems, query, runIdShown, shown, value, waitForRunDone, waitForStatus } from './support/page';

const base = inject('baseUrl');
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
  await switchBackend('wasm');
});
afterAll(() => browser?.close());


type Debug = { loseContext(): void; throwError(): void; crash(): void };
const debugHook = (page: Page, action: keyof Debug) =>
  page.evaluate((a) => (window as unknown as { __momentumDebug: Debug }).__momentumDebug[a](), action);

/** Records every value the page draws for both runs' step and feature, from the DOM itself. */
const RECORD_VALUES = () => {
  const seen: { id: string; v: string }[] = [];
  (window as unknown as { __seen: typeof seen }).__seen = seen;
  new MutationObserver((records) => {
    for (const r of records) {
      const el = r.target as Element;
      const id = el.getAttribute?.('data-testid');
      if (id && /^(gd|gdm)-(cMax|trainErr|t)$/.test(id)) seen.push({ id, v: el.getAttribute('data-value') ?? '' });
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-value'] });
};

const seenValues = (page: Page) => page.evaluate(() => (window as unknown as { __seen: { id: string; v: string }[] }).__seen);

async function expectNodeNumbers(page: Page, config: Config, digits = 5) {
  const want = nodeRuns(config);
  for (const run of ['gd', 'gdm'] as const) {
    const got = await shown(page, run);
    const last = want[run].rows.at(-1)!;
    expect(got.t).toBe(config.T);
    expect(got.cMax).toBeCloseTo(last.cMax, digits);
    expect(got.trainErr).toBeCloseTo(last.trainErr, 6);
    expect(got.testErr).toBeCloseTo(last.testErr, 6);
  }
}

const incident = (page: Page) => page.getByTestId('incident');

describe('a diverging learning rate', () => {
  // Heavy ball with gamma 0.9 takes ten times GD's step: at eta 0.1 only GD+M blows up (npm run sim).
  const WILD: Config = { ...DEFAULT_CONFIG, seeds: 1, sigma0: 0.3, sigma: 1, N: 120, Ntest: 200, seed: 5, momentumForm: 'heavyball', eta: 0.1, T: 300 };

  it('freezes GD+M where it diverged, says why, GD runs to the end; the suggested eta and reset recover', async () => {
    const want = nodeRuns(WILD);
    const at = divergence(want.gdm.rows);
    expect(at).not.toBeNull(); // the premise: GD+M diverges here, GD does not
    expect(divergence(want.gd.rows)).toBeNull();

    const { page, problems, close } = await openPage(browser, base + query(WILD), { initScript: RECORD_VALUES });
    await waitForStatus(page, 'done');
    const alert = page.getByTestId('gdm-diverged');
    const text = await alert.textContent();
    expect(text).toContain(`GD+M diverged at step ${at}`);
    expect(text).toContain('GD goes on');
    expect(text).toContain('η = 0.1 is too large for γ = 0.9');
    expect(text).toContain('heavy-ball');
    expect(text).toContain('η/(1−γ) = 1');
    expect(await page.getByTestId('gd-diverged').count()).toBe(0);

    // GD+M is frozen at its last finite logged step; GD trained on to T with the Node numbers
    const gdm = await shown(page, 'gdm');
    expect(gdm.t).toBeLessThan(at!);
    expect(Number.isFinite(gdm.cMax)).toBe(true);
    const gd = await shown(page, 'gd');
    expect(gd.t).toBe(WILD.T);
    expect(gd.cMax).toBeCloseTo(want.gd.rows.at(-1)!.cMax, 5);
    // nothing non-finite was ever drawn
    expect((await seenValues(page)).filter((s) => s.v !== '' && !Number.isFinite(Number(s.v)))).toEqual([]);

    // Reset trains the same configuration again: the same freeze, the same words
    let before = await runIdShown(page);
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await waitForRunDone(page, before);
    expect(await alert.textContent()).toBe(text);

    // The suggested learning rate trains both runs to the end
    before = await runIdShown(page);
    await alert.getByRole('button', { name: 'Try η = 0.01' }).click();
    await waitForRunDone(page, before);
    expect(new URL(page.url()).searchParams.get('eta')).toBe('0.01');
    expect(await page.getByRole('alert').filter({ hasText: 'diverged' }).count()).toBe(0);
    await expectNodeNumbers(page, { ...WILD, eta: 0.01 });
    expectNoProblems(problems);
    await close();
  });
});

describe('GPU trouble', () => {
  const RUN: Config = { ...DEFAULT_CONFIG, seeds: 1, N: 120, Ntest: 200, T: 1500, logEvery: 10, seed: 3 };

  it('a WebGL context lost mid-run: said in the status chip, the run goes on on wasm with the clean numbers, no zero row drawn', async () => {
    const { page, problems, close } = await openPage(browser, base + query(RUN, { backend: 'webgl', debug: '1' }), { initScript: RECORD_VALUES });
    expect(await backendShown(page)).toBe('webgl');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=gdm-t]')?.getAttribute('data-value')) >= 100, undefined, { timeout: 120_000 });
    const lostNear = await value(page, 'gdm-t');
    expect(lostNear).toBeLessThan(RUN.T);
    await debugHook(page, 'loseContext');
    await incident(page).waitFor({ timeout: 60_000 });
    expect(await incident(page).textContent()).toMatch(/webgl: the WebGL context was lost at step \d+; switched to wasm and restarted the run from its seed/);
    await waitForStatus(page, 'done');
    expect(await backendShown(page)).toBe('wasm');
    await expectNodeNumbers(page, RUN);
    // a lost context reads back zeros: none of them reached the page
    const seen = await seenValues(page);
    const features = seen.filter((s) => s.id.endsWith('-cMax') && s.v !== '');
    expect(features.length).toBeGreaterThan(10);
    expect(features.filter((s) => Number(s.v) === 0 || !Number.isFinite(Number(s.v)))).toEqual([]);
    expectNoProblems(problems);
    await close();
  });

  it('no WebGL in the browser: ?backend=webgl says WebGL is unavailable and trains on wasm with the Node numbers', async () => {
    // --disable-3d-apis leaves WebGL in workers; without the GPU process and its software fallback there is none
    const noGl = await launchChromium(['--disable-gpu', '--disable-software-rasterizer']);
    try {
      const SMALL: Config = { ...RUN, T: 80 };
      const { page, problems, close } = await openPage(noGl, base + query(SMALL, { backend: 'webgl' }));
      await waitForStatus(page, 'done');
      expect(await backendShown(page)).toBe('wasm');
      expect(await incident(page).textContent()).toContain('webgl was asked for in the URL but could not start (WebGL2 is not available in a worker here); running on wasm');
      await expectNodeNumbers(page, SMALL);
      expectNoProblems(problems);
      await close();
    } finally {
      await noGl.close();
    }
  });
});

describe('worker failure', () => {
  const RUN: Config = { ...DEFAULT_CONFIG, seeds: 1, N: 120, Ntest: 200, T: 6000, logEvery: 10, seed: 4 };

  it.each([
    ['an uncaught error', 'throwError', /The training worker threw an uncaught error \(.*a test error thrown in the training worker\); a new one took over and the run started again from step 0\./],
    ['a silent crash', 'crash', /The training worker stopped answering \(silent for \d+ s\); a new one took over and the run started again from step 0\./],
  ] as const)('%s: reported, the worker restarted, the run completes with the right numbers', async (_, action, message) => {
    const { page, problems, close } = await openPage(browser, base + query(RUN, { debug: '1' }));
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=gdm-t]')?.getAttribute('data-value')) >= 200, undefined, { timeout: 120_000 });
    const runId = await runIdShown(page);
    await debugHook(page, action);
    await incident(page).waitFor({ timeout: 60_000 });
    expect(await incident(page).textContent()).toMatch(message);
    await waitForStatus(page, 'done');
    expect(await runIdShown(page)).toBe(runId);
    await expectNodeNumbers(page, RUN);
    // and the new worker takes new work
    const before = await runIdShown(page);
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await waitForRunDone(page, before);
    await expectNodeNumbers(page, RUN);
    expectNoProblems(problems);
    await close();
  });
});
