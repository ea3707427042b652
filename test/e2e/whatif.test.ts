/**
 * What-if runs in the page: a shared link with what-ifs trains them beside GD and GD+M and shows
 * Node's numbers; the menu adds and removes one, and the URL follows.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runLineupSync } from '../../src/engine/experiment';
import { generateDataset } from '../../src/sim/data';
import { clampLineup } from '../../src/sim/lineup';
import { switchBackend } from '../support/tf';
import { launchChromium, openPage } from './support/browser';
import { SHORT } from './support/configs';
import { expectNoProblems, query, value, waitForRunDone, waitForStatus } from './support/page';

const base = inject('baseUrl');
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
  await switchBackend('wasm');
});
afterAll(() => browser?.close());

describe('what-if runs', () => {
  it('a link with what-ifs trains them beside the pair and ends on Node’s numbers; the menu removes one and the URL follows', async () => {
    const runs = 'gdm-until=40,gd-eta=3';
    const { page, problems, close } = await openPage(browser, base + query(SHORT, { backend: 'wasm', runs }), { viewport: { width: 1280, height: 900 } });
    await waitForStatus(page, 'done');
    const lineup = clampLineup(runs, SHORT).lineup;
    const want = runLineupSync(SHORT, generateDataset(SHORT), lineup);
    for (const name of ['gd', 'gdm', 'gdm-until', 'gd-eta'] as const) {
      const last = want[name]!.rows.at(-1)!;
      expect(await value(page, `${name}-t`)).toBe(SHORT.T);
      expect(await value(page, `${name}-testErr`)).toBeCloseTo(last.testErr, 6);
      expect(await value(page, `${name}-cMax`)).toBeCloseTo(last.cMax, 3);
    }
    // every what-if is in the verdict, with its argument
    const verdict = await page.getByTestId('verdict-what-ifs').textContent();
    expect(verdict).toContain('K = 40');
    expect(verdict).toContain('η′ = 3');
    // and drawn in the time-series figures
    await page.locator('[data-panel=feature] path.line-c[data-run=gdm-until]').waitFor();
    // remove one from the menu: a new run without it, and the link without it
    const before = Number(await page.getByTestId('runs').getAttribute('data-run-id'));
    await page.locator('[data-what-if=gd-eta] input[type=checkbox]').uncheck();
    await waitForRunDone(page, before);
    expect(await page.locator('.run[data-run=gd-eta]').count()).toBe(0);
    expect(new URL(page.url()).searchParams.get('runs')).toBe('gdm-until=40');
    expectNoProblems(problems);
    await close();
  });
});
