/**
 * Offline: after one visit (the service worker installed and its precache filled), the page, an
 * embed and present mode load and train live with the network off.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, openPage } from './support/browser';
import { SHORT } from './support/configs';
import { expectNoProblems, query, runIdShown, waitForStatus } from './support/page';

const base = inject('baseUrl');
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

describe('offline after one visit', () => {
  it('the page, an embed and present mode load and train with the network off', async () => {
    // a setting of its own, so nothing precomputed is shown: every run below trains live
    const config = { ...SHORT, seed: 11 };
    const { page, problems, close } = await openPage(browser, base + query(config), { viewport: { width: 1280, height: 800 } });
    await waitForStatus(page, 'done');
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    const cached = await page.evaluate(async () => (await Promise.all((await caches.keys()).map(async (k) => (await (await caches.open(k)).keys()).map((r) => r.url)))).flat());
    for (const kind of [/\.js$/, /\.wasm$/, /\.woff2$/, /precomputed\/default\.json$/, /precomputed\/phase\.json$/, /index\.html$/, /manifest\.webmanifest$/]) {
      expect(cached.some((u) => kind.test(u)), String(kind)).toBe(true);
    }
    // nothing from any other origin
    expect(cached.every((u) => new URL(u).origin === new URL(base).origin)).toBe(true);

    await page.context().setOffline(true);
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    const visits: Record<string, string>[] = [{}, { panel: 'race' }, { present: '1' }];
    for (const extra of visits) {
      await page.goto(base + query(config, extra));
      await waitForStatus(page, 'done');
      expect(await runIdShown(page), JSON.stringify(extra)).toBeGreaterThan(0);
      await page.locator('[data-panel] canvas, [data-panel] svg').first().waitFor();
      if ('present' in extra) await page.waitForSelector('.present-slide[data-scene=data]');
    }
    // and a change trains again, offline
    await page.goto(base + query({ ...config, gamma: 0.5 }, { panel: 'errors' }));
    await waitForStatus(page, 'done');
    // leaving a page while it still loads a worker aborts that request: not a failure
    expectNoProblems(problems.filter((p) => !p.endsWith('net::ERR_ABORTED')));
    await close();
  });
});
