/**
 * Instant start and hosting: the default page draws the run computed at build time at once and says
 * so; any change (or Reset) trains live; a build under a sub-path, served by a plain static file
 * server, loads, draws and trains; no request ever leaves the local server.
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runPairSync } from '../../src/engine/experiment';
import { generateDataset } from '../../src/sim/data';
import { DEFAULT_CONFIG } from '../../src/sim/params';
import { switchBackend } from '../support/tf';
import { launchChromium, openPage } from './support/browser';
import { runIdShown, shown, waitForRunDone, waitForStatus } from './support/page';
import { buildSite } from './support/server';

const base = inject('baseUrl');
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

const RACE_DRAWN = '[data-panel=race] canvas[data-drawn-t]';

/** Notes, in the page's own clock (ms since navigation started), when the race canvas is first drawn. */
const RECORD_FIRST_DRAW = () => {
  const w = window as unknown as { __firstRaceDraw?: number };
  new MutationObserver((_, observer) => {
    if (document.querySelector('[data-panel=race] canvas[data-drawn-t]')) {
      w.__firstRaceDraw = performance.now();
      observer.disconnect();
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-drawn-t'] });
};

/** A fresh page that records console errors, failed requests and every request it makes (workers' too). */
const open = (url: string) => openPage(browser, url, { viewport: { width: 1280, height: 900 }, initScript: RECORD_FIRST_DRAW });

/** Every request went to the local server (or stayed inside the page: data:, blob:). */
function expectOnlyLocal(requests: string[], prefix?: string): void {
  expect(requests.length).toBeGreaterThan(0);
  const away = requests.filter((u) => {
    const url = new URL(u);
    if (url.protocol === 'data:' || url.protocol === 'blob:') return false;
    return !['127.0.0.1', 'localhost'].includes(url.hostname) || (prefix !== undefined && !url.pathname.startsWith(prefix));
  });
  expect(away, away.join('\n')).toEqual([]);
}

async function source(page: Page): Promise<string | null> {
  return page.getByTestId('source').getAttribute('data-value');
}

/** Type a new gamma into its number field, as a reader would. */
async function setGamma(page: Page, gamma: number): Promise<void> {
  const field = page.locator('input[name=gamma]');
  await field.fill(String(gamma));
  await field.press('Enter');
}

/** Time from navigation to the first drawn race canvas, in the page's clock, printed (a figure, not a test). */
async function reportFirstDraw(page: Page, label: string): Promise<void> {
  await page.waitForSelector(RACE_DRAWN, { timeout: 60_000 });
  const ms = await page.evaluate(() => (window as unknown as { __firstRaceDraw?: number }).__firstRaceDraw);
  console.log(`instant start (${label}): navigation -> first drawn race canvas ${ms === undefined ? 'n/a' : `${Math.round(ms)} ms`}`);
}

/** How many pixels of the race's first canvas (GD's dots) have ink: 500 dots of a few pixels each, none where the per-example parts are missing. */
function raceInk(page: Page): Promise<number> {
  return page.evaluate(() => {
    const canvas = document.querySelector('[data-panel=race] canvas') as HTMLCanvasElement;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  });
}

describe('instant start from the precomputed run', () => {
  it('the default page draws the precomputed run at once, says so, and shows the Node engine numbers', async () => {
    const { page, problems, requests, close } = await open(base);
    await reportFirstDraw(page, 'vite preview');
    await waitForStatus(page, 'done', 30_000);
    expect(await source(page)).toBe('precomputed');
    await expect.poll(() => page.getByTestId('source').textContent()).toMatch(/precomputed run.*build time.*change anything to train live/);
    expect(await runIdShown(page)).toBe(0);
    // The very numbers of the CLI's code path (Node, wasm): the precomputed file is that run.
    await switchBackend('wasm');
    const want = runPairSync(DEFAULT_CONFIG, generateDataset(DEFAULT_CONFIG));
    for (const run of ['gd', 'gdm'] as const) {
      const got = await shown(page, run);
      expect(got.t).toBe(DEFAULT_CONFIG.T);
      expect(got.testErr).toBe(want[run].rows.at(-1)!.testErr);
      expect(got.cMax).toBeCloseTo(want[run].rows.at(-1)!.cMax, 5);
    }
    await page.waitForFunction(() => document.querySelector('[data-panel=race] canvas')?.getAttribute('data-drawn-t') === '1500');
    expect(problems, problems.join('\n')).toEqual([]);
    expectOnlyLocal(requests);
    await close();
  });

  it('the title and lede are index.html’s own, once; the full rows wait until the shown step moves, then the race draws there', async () => {
    const { page, problems, requests, close } = await open(base);
    // The page's own requests (not the service worker's: it precaches every file for offline use)
    const own: string[] = [];
    page.on('request', (r) => {
      if (!r.serviceWorker()) own.push(r.url());
    });
    // The title and lede are index.html's own (the first paint), above the app, once.
    expect(await page.locator('#page-header ~ #root').count()).toBe(1);
    expect(await page.locator('#boot-embed').count()).toBe(0);
    expect(await page.locator('h1').count()).toBe(1);
    expect(await page.locator('.lede').textContent()).toMatch(/Two copies of one small network/);
    await page.waitForFunction(() => document.querySelector('[data-panel=race] canvas')?.getAttribute('data-drawn-t') === '1500');
    await page.waitForTimeout(1500);
    const full = (u: string) => new URL(u).pathname.endsWith('/precomputed/default.f32');
    // the first view's small file and the seeds, not the full rows
    expect(requests.some((u) => new URL(u).pathname.endsWith('/precomputed/default-first.bin'))).toBe(true);
    expect(own.filter(full)).toEqual([]);
    // ... asked for once the static title and lede were on screen (src/state/first-paint.ts), so
    // that no data request counts towards the time the largest text took to paint
    const order = await page.evaluate(() => ({
      paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
      data: performance.getEntriesByType('resource').find((r) => r.name.endsWith('/precomputed/default-first.bin'))?.startTime,
    }));
    expect(order.paint).toBeGreaterThan(0);
    expect(order.data).toBeGreaterThan(order.paint!);
    // A scrub to a step the first view has no per-example parts for: the full rows come, the dots are there.
    await page.locator('.scrubber input[type=range]').fill('700');
    await expect.poll(() => own.filter(full).length, { timeout: 20_000 }).toBe(1);
    await page.waitForFunction(() => document.querySelector('[data-panel=race] canvas')?.getAttribute('data-drawn-t') === '700');
    // 500 dots of a few pixels each (none at all while the per-example parts were missing)
    await expect.poll(() => raceInk(page), { timeout: 20_000 }).toBeGreaterThan(2000);
    expect(problems, problems.join('\n')).toEqual([]);
    await close();
  });

  it('a link to a step the first view has no per-example parts for draws its dots at once', async () => {
    const { page, problems, close } = await open(`${base}?t=700`);
    await page.waitForFunction(() => document.querySelector('[data-panel=race] canvas')?.getAttribute('data-drawn-t') === '700');
    // well before the 8 s a first view waits otherwise
    await expect.poll(() => raceInk(page), { timeout: 6000 }).toBeGreaterThan(2000);
    expect(problems, problems.join('\n')).toEqual([]);
    await close();
  });

  it('changing gamma trains live and the page says so; Reset from the precomputed run trains live too', async () => {
    const { page, problems, requests, close } = await open(base);
    await waitForStatus(page, 'done', 30_000);
    expect(await source(page)).toBe('precomputed');
    await setGamma(page, 0.5);
    await waitForRunDone(page, 0, 300_000);
    expect(await source(page)).toBe('live');
    expect(await page.getByTestId('source').textContent()).toMatch(/live/);
    expect(new URL(page.url()).searchParams.get('gamma')).toBe('0.5');
    expect(await runIdShown(page)).toBeGreaterThan(0);
    await close();

    const again = await open(base);
    await waitForStatus(again.page, 'done', 30_000);
    expect(await source(again.page)).toBe('precomputed');
    await again.page.getByRole('button', { name: 'Reset' }).click();
    await waitForRunDone(again.page, 0, 300_000);
    expect(await source(again.page)).toBe('live');
    expect((await shown(again.page, 'gdm')).t).toBe(DEFAULT_CONFIG.T);
    expect([...problems, ...again.problems]).toEqual([]);
    expectOnlyLocal([...requests, ...again.requests]);
    await again.close();
    // Two full default runs live: room for a loaded 2-core machine.
  }, 400_000);

  it('a press on Reset asks for the full rows, and the live run it starts aborts their download', async () => {
    const { page, problems, close } = await open(base);
    await waitForStatus(page, 'done', 30_000);
    // The page has settled (its worker started, the full rows wait for a press), well before their 8 s.
    await page.waitForTimeout(4000);
    const full = (u: string) => new URL(u).pathname.endsWith('/precomputed/default.f32');
    const seen = { asked: 0, failed: 0, finished: 0 };
    page.on('request', (r) => full(r.url()) && !r.serviceWorker() && seen.asked++);
    page.on('requestfailed', (r) => full(r.url()) && !r.serviceWorker() && seen.failed++);
    page.on('requestfinished', (r) => full(r.url()) && !r.serviceWorker() && seen.finished++);
    // Held back for a second and a half: long after the click's live run has started.
    await page.route('**/precomputed/default.f32', async (route) => {
      await new Promise((done) => setTimeout(done, 1500));
      await route.continue().catch(() => undefined);
    });
    await page.getByRole('button', { name: 'Reset' }).click();
    await waitForRunDone(page, 0, 300_000);
    await page.waitForTimeout(2000);
    expect(await source(page)).toBe('live');
    expect(seen).toEqual({ asked: 1, failed: 1, finished: 0 });
    expect(problems, problems.join('\n')).toEqual([]);
    await close();
  }, 400_000);

  it('a forced backend skips the precomputed run and trains live', async () => {
    const { page, problems, close } = await open(`${base}?backend=cpu&T=50`);
    await waitForStatus(page, 'done');
    expect(await source(page)).toBe('live');
    expect(problems).toEqual([]);
    await close();
  });
});

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** The plainest static host: files of `root` under `prefix`, index.html for folders, 404 otherwise. */
function staticServer(root: string, prefix: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = pathname.startsWith(prefix) ? path.join(root, pathname.slice(prefix.length)) : null;
    if (file && !path.resolve(file).startsWith(path.resolve(root))) file = null;
    if (file && existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!file || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`, server })),
  );
}

describe('hosting under a sub-path', () => {
  const PREFIX = '/sub/path/';
  const OUT = 'test-results/subpath-dist';
  let site: { url: string; server: Server };
  beforeAll(async () => {
    // As `BASE=/sub/path/ npm run build` does it (vite.config.ts reads BASE).
    const before = process.env.BASE;
    process.env.BASE = PREFIX;
    try {
      await buildSite(OUT);
    } finally {
      if (before === undefined) delete process.env.BASE;
      else process.env.BASE = before;
    }
    site = await staticServer(OUT, PREFIX);
  }, 300_000);
  afterAll(() => new Promise<void>((resolve) => (site ? site.server.close(() => resolve()) : resolve())));

  it('loads from a plain static server, draws the precomputed run, trains live, and asks only that server', async () => {
    expect(readFileSync(path.join(OUT, 'index.html'), 'utf8')).toContain(`${PREFIX}assets/`);
    const { page, problems, requests, close } = await open(site.url);
    await reportFirstDraw(page, 'static server under /sub/path/');
    await waitForStatus(page, 'done', 30_000);
    expect(await source(page)).toBe('precomputed');
    await setGamma(page, 0.95);
    await waitForRunDone(page, 0, 300_000);
    expect(await source(page)).toBe('live');
    expect((await shown(page, 'gdm')).t).toBe(DEFAULT_CONFIG.T);
    expect(problems, problems.join('\n')).toEqual([]);
    expectOnlyLocal(requests, PREFIX);
    await close();
  }, 300_000);
});
