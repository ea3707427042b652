/**
 * Seeds and the what-if sliders in the page: a shared link with seeds and a what-if trains the focus
 * seed, then the others in the background, and shows each run's mean and range over the seeds as
 * Node computes them; the errors figure shades the range; the K slider has its tick at the step where
 * GD+M fits its large-margin examples, and moving it (or typing K) is a new run and a new link.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runLineupSync } from '../../src/engine/experiment';
import { generateDataset } from '../../src/sim/data';
import { clampLineup } from '../../src/sim/lineup';
import { mechanism } from '../../src/sim/mechanism';
import { seedList, spread } from '../../src/sim/seeds';
import { switchBackend } from '../support/tf';
import { launchChromium, openPage } from './support/browser';
import { SHORT } from './support/configs';
import { expectNoProblems, query, runIdShown, waitForRunDone, waitForStatus } from './support/page';

const base = inject('baseUrl');
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
  await switchBackend('wasm');
});
afterAll(() => browser?.close());

describe('seeds and what-if sliders', () => {
  it('a link with S = 3 and a what-if: every run\'s mean and range over the seeds are Node\'s; the errors figure shades them', async () => {
    const config = { ...SHORT, seeds: 3 };
    const runs = 'gdm-until=40';
    const { page, problems, close } = await openPage(browser, base + query(config, { backend: 'wasm', runs }), { viewport: { width: 1280, height: 900 } });
    await waitForStatus(page, 'done');
    await page.waitForSelector('[data-testid=verdict-seeds][data-done="3"]', { timeout: 120_000 });
    const lineup = clampLineup(runs, config).lineup;
    const finals = seedList(config).map((seed) => runLineupSync({ ...config, seed }, generateDataset({ ...config, seed }), lineup));
    for (const name of ['gd', 'gdm', 'gdm-until'] as const) {
      const want = spread(finals.map((f) => f[name]!.rows.at(-1)!.testErr));
      const card = page.getByTestId(`${name}-testErr-seeds`);
      expect(Number(await card.getAttribute('data-count'))).toBe(3);
      expect(Number(await card.getAttribute('data-mean'))).toBeCloseTo(want.mean, 6);
      expect(Number(await card.getAttribute('data-min'))).toBeCloseTo(want.min, 6);
      expect(Number(await card.getAttribute('data-max'))).toBeCloseTo(want.max, 6);
    }
    const better = finals.filter((f) => f.gd!.rows.at(-1)!.testErr - f.gdm!.rows.at(-1)!.testErr > 0.02).length;
    expect(await page.getByTestId('verdict-seeds').getAttribute('data-better')).toBe(String(better));
    expect(await page.getByTestId('verdict-seeds').textContent()).toContain('Over all 3 seeds (3–5)');
    // the errors figure: a band per run in each test facet, over the three seeds
    await page.locator('[data-panel=errors]').scrollIntoViewIfNeeded();
    await page.locator('[data-facet=testErrSmall] path.errors-band[data-run=gd][data-seeds="3"]').waitFor();
    expect(await page.locator('path.errors-band[data-run=gdm-until]').count()).toBe(2);
    expectNoProblems(problems);
    await close();
  });

  it('the K slider: a tick where GD+M fits its large-margin examples; the slider and the field each start a new run and a new link; the menu adds a what-if', async () => {
    const { page, problems, close } = await openPage(browser, base + query(SHORT, { backend: 'wasm', runs: 'gdm-until=40' }), { viewport: { width: 1280, height: 900 } });
    await waitForStatus(page, 'done');
    const data = generateDataset(SHORT);
    const want = runLineupSync(SHORT, data, clampLineup('gdm-until=40', SHORT).lineup);
    const fit = mechanism(SHORT, data.train.small, want.gd, want.gdm).fitted.gdm;
    expect(fit).not.toBeNull();
    const arg = page.locator('[data-arg=gdm-until]');
    expect(await arg.locator('.ticks span').first().getAttribute('data-tick')).toBe(String(fit));
    // the field: K = 25
    let before = await runIdShown(page);
    await arg.locator('input[type=number]').fill('25');
    await arg.locator('input[type=number]').press('Enter');
    await waitForRunDone(page, before);
    expect(new URL(page.url()).searchParams.get('runs')).toBe('gdm-until=25');
    // the slider, by keyboard: End is K = T
    before = await runIdShown(page);
    await arg.locator('input[type=range]').focus();
    await page.keyboard.press('End');
    await waitForRunDone(page, before);
    expect(new URL(page.url()).searchParams.get('runs')).toBe(`gdm-until=${SHORT.T}`);
    // K = T is GD+M all the way: its numbers are GD+M's
    expect(await page.getByTestId('gdm-until-testErr').getAttribute('data-value')).toBe(await page.getByTestId('gdm-testErr').getAttribute('data-value'));
    // add SGD from the menu
    before = await runIdShown(page);
    await page.locator('[data-what-if=sgd] input[type=checkbox]').check();
    await waitForRunDone(page, before);
    expect(new URL(page.url()).searchParams.get('runs')).toBe(`gdm-until=${SHORT.T},sgd=50`);
    await page.locator('.run[data-run=sgd]').waitFor();
    expectNoProblems(problems);
    await close();
  });
});
