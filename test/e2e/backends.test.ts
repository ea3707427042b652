/**
 * The real worker on the real tfjs backends in headless Chromium: each backend trains, the automatic
 * choice follows the rule, and the browser's numbers are the Node engine's numbers.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Config, DEFAULT_CONFIG } from '../../src/sim/params';
import { backendCandidates } from '../../src/worker/backend-choice';
import { switchBackend } from '../support/tf';
import { launchChromium, openPage } from './support/browser';
import { nodeFinal } from './support/node';
import { backendShown, expectNoProblems, query, runIdShown, shown, waitForRunDone, waitForStatus } from './support/page';

const base = inject('baseUrl');
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
  await switchBackend('wasm');
});
afterAll(() => browser?.close());


const SMALL: Config = { ...DEFAULT_CONFIG, seeds: 1, N: 120, Ntest: 300, T: 80, logEvery: 10, seed: 3 };

describe('backends in headless Chromium', () => {
  it('loads without console errors and picks the backend the rule picks', async () => {
    const { page, problems, close } = await openPage(browser, base + query(SMALL));
    await waitForStatus(page, 'done');
    // The automatic choice settles once the off-thread WebGL probe has reported.
    await page.waitForFunction(() => !document.querySelector('.chip')?.getAttribute('title')?.includes('checking WebGL'));
    const chip = page.locator('.chip');
    const renderer = await chip.getAttribute('data-renderer');
    const expected = backendCandidates(null, { webgl2: renderer !== '', float32: true, renderer: renderer || null })[0].name;
    // Runs after the probe use the backend the rule picked (the very first may start on wasm meanwhile).
    const before = await runIdShown(page);
    await page.getByRole('button', { name: 'Reset' }).click();
    await waitForRunDone(page, before);
    expect(await backendShown(page)).toBe(expected);
    expect(await chip.getAttribute('title')).toMatch(/software-rendered|GPU|not available|float32/);
    expectNoProblems(problems);
    await close();
  });

  it.each(['webgl', 'wasm', 'cpu'] as const)('trains on %s when the URL asks for it, with the Node numbers', async (backend) => {
    const { page, problems, close } = await openPage(browser, base + query(SMALL, { backend }));
    await waitForStatus(page, 'done');
    expect(await backendShown(page)).toBe(backend);
    const want = nodeFinal(SMALL);
    for (const run of ['gd', 'gdm'] as const) {
      const got = await shown(page, run);
      expect(got.t).toBe(SMALL.T);
      // wasm and cpu compute in float32 like Node; webgl's float32 shaders round differently.
      const digits = backend === 'webgl' ? 3 : 5;
      expect(got.cMax).toBeCloseTo(want[run].cMax, digits);
      expect(got.trainErr).toBeCloseTo(want[run].trainErr, backend === 'webgl' ? 2 : 6);
      expect(got.testErr).toBeCloseTo(want[run].testErr, backend === 'webgl' ? 2 : 6);
    }
    expectNoProblems(problems);
    await close();
  });

  // Where the machine has the cores (worker/engine.worker.ts HELPER_CORES), half of each lineup trains
  // on a helper thread; ?threads=2 asks for it on this 2-core machine too. The runs of a batch never
  // mix, so the numbers are the one-thread numbers, Node's.
  it.each(['wasm', 'cpu'] as const)('trains on two threads when the URL asks for it (%s), with the Node numbers', async (backend) => {
    const { page, problems, close } = await openPage(browser, base + query(SMALL, { backend, threads: '2' }));
    await waitForStatus(page, 'done');
    const chip = page.locator('.chip');
    expect(await chip.getAttribute('data-threads')).toBe('2');
    expect(await chip.getAttribute('title')).toContain('two training threads');
    const want = nodeFinal(SMALL);
    for (const run of ['gd', 'gdm'] as const) {
      const got = await shown(page, run);
      expect(got.t).toBe(SMALL.T);
      expect(got.cMax).toBeCloseTo(want[run].cMax, 5);
      expect(got.trainErr).toBeCloseTo(want[run].trainErr, 6);
      expect(got.testErr).toBeCloseTo(want[run].testErr, 6);
    }
    expect(await page.getByTestId('incident').count()).toBe(0);
    expectNoProblems(problems);
    await close();
  });

  it('trains on one thread when the URL says ?threads=1', async () => {
    const { page, problems, close } = await openPage(browser, base + query(SMALL, { backend: 'wasm', threads: '1' }));
    await waitForStatus(page, 'done');
    expect(await page.locator('.chip').getAttribute('data-threads')).toBe('1');
    expectNoProblems(problems);
    await close();
  });
});

describe.each([
  ['automatic choice', {}],
  ['webgl', { backend: 'webgl' }],
] as const)('the default experiment in the browser (%s)', (_label, extra) => {
  it('agrees with the Node CLI for the same seed and shows the effect', async () => {
    const { page, problems, close } = await openPage(browser, base + query(DEFAULT_CONFIG, extra));
    await waitForStatus(page, 'done', 300_000);
    if (!('backend' in extra)) {
      // The default page opens on the run precomputed at build time: Reset trains it live.
      expect(await page.getByTestId('source').getAttribute('data-value')).toBe('precomputed');
      await page.getByRole('button', { name: 'Reset' }).click();
      await waitForRunDone(page, 0, 300_000);
    }
    expect(await page.getByTestId('source').getAttribute('data-value')).toBe('live');
    const want = nodeFinal(DEFAULT_CONFIG);
    const gd = await shown(page, 'gd');
    const gdm = await shown(page, 'gdm');
    const tol = 'backend' in extra ? 0.01 : 1e-6;
    expect(Math.abs(gd.testErr - want.gd.testErr)).toBeLessThanOrEqual(tol);
    expect(Math.abs(gdm.testErr - want.gdm.testErr)).toBeLessThanOrEqual(tol);
    expect(gd.cMax / want.gd.cMax).toBeCloseTo(1, 'backend' in extra ? 2 : 5);
    expect(gdm.cMax / want.gdm.cMax).toBeCloseTo(1, 'backend' in extra ? 2 : 5);
    expect(gd.testErr).toBeGreaterThanOrEqual(0.1);
    expect(gdm.testErr).toBeLessThanOrEqual(0.02);
    expect(gd.trainErr).toBe(0);
    expect(gdm.trainErr).toBe(0);
    expectNoProblems(problems);
    await close();
  }, 400_000);
});
