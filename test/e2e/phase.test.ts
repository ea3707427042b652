/**
 * The phase map in the browser: the precomputed default map at once, a live sweep in the sweep
 * worker for any other setting (the same numbers as the Node engine), cancelled by a change, and a
 * click on a cell loading its setting into the live view and the URL.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startNodeBackend } from '../../src/cli/node-backends';
import { runSweepSync } from '../../src/engine/sweep';
import { type Config, DEFAULT_CONFIG } from '../../src/sim/params';
import { DEFAULT_GRID, sweepCells } from '../../src/sim/sweep';
import { launchChromium, openPage } from './support/browser';
import { expectNoProblems, openAdvanced, query, runIdShown, waitForRunDone, waitForStatus } from './support/page';
import { openTools } from './support/tools';

const base = inject('baseUrl');
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

/** Small enough for a sweep of the whole default grid in seconds. */
const SMALL_MAP: Config = { ...DEFAULT_CONFIG, seeds: 1, N: 100, Ntest: 200, T: 120, logEvery: 10, seed: 3 };

const phase = (page: Page) => page.getByTestId('phase');

async function waitForMap(page: Page, source: 'precomputed' | 'live', timeout = 240_000): Promise<void> {
  await page.waitForFunction(
    (src) => {
      const el = document.querySelector('[data-testid=phase]');
      if (el?.getAttribute('data-status') === 'error') throw new Error(document.querySelector('[data-testid=phase-status]')?.textContent ?? 'sweep error');
      return el?.getAttribute('data-status') === 'done' && el.getAttribute('data-source') === src;
    },
    source,
    { timeout },
  );
}

/** The gap printed in every cell, keyed "gamma,beta" (data-value holds the unrounded number). */
async function gaps(page: Page): Promise<Record<string, number>> {
  const cells = await page.locator('[data-panel=phase] [data-cell]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-cell'), e.getAttribute('data-value')]));
  return Object.fromEntries(cells.map(([k, v]) => [k, Number(v)]));
}

function nodeGaps(config: Config): Record<string, number> {
  const cells = sweepCells(runSweepSync(config, DEFAULT_GRID)).flat();
  return Object.fromEntries(cells.map((c) => [`${c.gamma},${c.beta}`, c.gap]));
}

describe('the phase map', () => {
  it('shows the precomputed default map at once; a click on a cell loads it into the live view and the URL', async () => {
    const { page, problems, close } = await openPage(browser, base);
    await waitForMap(page, 'precomputed');
    expect(Object.keys(await gaps(page))).toHaveLength(DEFAULT_GRID.gammas.length * DEFAULT_GRID.betas.length);
    // the default (0.9, 0.1) is a grid cell: it is framed, and momentum wins there by ~mu/2
    expect((await gaps(page))['0.9,0.1']).toBeGreaterThan(0.1);
    await expect(page.locator('[data-panel=phase] rect.phase-current').count()).resolves.toBe(1);
    await waitForStatus(page, 'done');

    const before = await runIdShown(page);
    const cell = page.getByRole('button', { name: /^γ = 0\.99, β = 0\.08: / });
    await cell.focus();
    await expect(page.getByTestId('phase-readout').textContent()).resolves.toMatch(/^γ = 0\.99, β = 0\.08: test error GD\+M/);
    await cell.click();
    await waitForRunDone(page, before);
    const url = new URL(page.url());
    expect(url.searchParams.get('gamma')).toBe('0.99');
    expect(url.searchParams.get('beta')).toBe('0.08');
    expect(await page.locator('input[name=gamma]').first().inputValue()).toBe('0.99');
    expect(await page.locator('input[name=beta]').first().inputValue()).toBe('0.08');
    // the map belongs to the other parameters: it stays, and its frame moved to the picked cell
    expect(await phase(page).getAttribute('data-source')).toBe('precomputed');
    const framed = await page.locator('[data-panel=phase] rect.phase-current').boundingBox();
    const picked = await cell.boundingBox();
    expect(Math.abs(framed!.x + framed!.width / 2 - (picked!.x + picked!.width / 2))).toBeLessThan(2);
    expectNoProblems(problems);
    await close();
  });

  it('trains the map of any other setting in the browser, with the Node engine’s numbers', async () => {
    await startNodeBackend('wasm');
    const want = nodeGaps(SMALL_MAP);
    const { page, problems, close } = await openPage(browser, base + query(SMALL_MAP));
    await waitForMap(page, 'live');
    const got = await gaps(page);
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    for (const key of Object.keys(want)) expect(got[key], key).toBeCloseTo(want[key], 5);
    expect(await page.getByTestId('phase-status').textContent()).toMatch(/Computed in this browser \(wasm\) in [\d.]+ s/);
    expectNoProblems(problems);
    await close();
  });

  it('a change of another parameter cancels the map in progress and computes the new one', async () => {
    const slow: Config = { ...SMALL_MAP, T: 3000 };
    const { page, problems, close } = await openPage(browser, base + query(slow));
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=phase]')?.getAttribute('data-t')) > 0, undefined, { timeout: 120_000 });
    // a new T: the old map (T = 3000) is dropped, the new one trains from step 0 and finishes
    await openAdvanced(page);
    await page.locator('input[name=T]').fill(String(SMALL_MAP.T));
    await page.locator('input[name=T]').press('Enter');
    await waitForMap(page, 'live');
    expect(Number(await phase(page).getAttribute('data-t'))).toBe(SMALL_MAP.T);
    const want = nodeGaps(SMALL_MAP);
    const got = await gaps(page);
    for (const key of Object.keys(want)) expect(got[key], key).toBeCloseTo(want[key], 5);
    expectNoProblems(problems);
    await close();
  });

  it('the last scene of the story lights up the map and reads it out', async () => {
    const { page, problems, close } = await openPage(browser, base);
    await waitForMap(page, 'precomputed');
    await page.getByRole('button', { name: /The whole landscape/ }).click();
    await expect(page.locator('[data-panel=phase].highlighted').count()).resolves.toBe(1);
    const words = await page.getByTestId('map-words').textContent();
    const helped = Object.values(await gaps(page)).filter((g) => g > 0.05).length;
    expect(words).toContain(`GD+M beats GD by more than 5 points of test error in ${helped} of 30 cells`);
    expectNoProblems(problems);
    await close();
  });

  it('exports the map’s own numbers: CSV, one line per cell; no video of a map without time', async () => {
    const { page, problems, close } = await openPage(browser, base);
    await waitForMap(page, 'precomputed');
    await openTools(page, 'phase');
    const tools = page.getByTestId('export-phase');
    await expect(tools.locator('[data-export=webm]').count()).resolves.toBe(0);
    const waiting = page.waitForEvent('download');
    await tools.locator('[data-export=csv]').click();
    const download = await waiting;
    expect(download.suggestedFilename()).toMatch(/phase.*\.csv$/);
    const lines = readFileSync((await download.path())!, 'utf8').trimEnd().split('\n');
    const header = lines[0].split(',');
    expect(lines).toHaveLength(1 + 30);
    const shownGaps = await gaps(page);
    for (const line of lines.slice(1)) {
      const cols = line.split(',').map(Number);
      const key = `${cols[header.indexOf('gamma')]},${cols[header.indexOf('beta')]}`;
      expect(cols[header.indexOf('gap')], key).toBeCloseTo(shownGaps[key], 6);
    }
    expectNoProblems(problems);
    await close();
  });

  it('?panel=phase embeds the map alone', async () => {
    const { page, problems, close } = await openPage(browser, `${base}?panel=phase`);
    await waitForMap(page, 'precomputed');
    await expect(page.locator('[data-panel]').count()).resolves.toBe(1);
    expectNoProblems(problems);
    await close();
  });
});
