/**
 * The production page under its Content-Security-Policy: it trains live, typesets its math, loads
 * the precomputed run and embeds in another origin's frame with no violation and no request away from
 * its own origin; script and markup in every URL value show up as inert text in a notice.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../vite.config';
import { launchChromium, openPage } from './support/browser';
import { attribute, crossOriginHost } from './support/host';
import { expectNoProblems, query, waitForStatus } from './support/page';

const base = inject('baseUrl');
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

const SHORT = { T: 60, N: 120, Ntest: 200, logEvery: 10, seed: 4 };

/** Records CSP violations and anything a hostile value might have run, before the page's own scripts. */
const WATCH = () => {
  const w = window as unknown as { __violations: string[] };
  w.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
};

/** A fresh page (see openPage: problems and every request, workers' too) that also collects CSP violations. */
async function open(url: string) {
  const opened = await openPage(browser, url, { viewport: { width: 1280, height: 900 }, initScript: WATCH });
  const violations = () => opened.page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
  return { ...opened, violations };
}

/** Every request went to the page's own origin, or stayed inside it (data:, blob:). */
function expectOwnOrigin(requests: string[], origin = new URL(base).origin): void {
  expect(requests.length).toBeGreaterThan(0);
  const away = requests.filter((u) => !['data:', 'blob:'].includes(new URL(u).protocol) && new URL(u).origin !== origin);
  expect(away, away.join('\n')).toEqual([]);
}

/** Nothing from the URL ran or became markup. */
async function expectInert(page: Page): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  expect(await page.locator('img[src=x], svg[onload], [onerror], iframe').count()).toBe(0);
  // the page's own scripts only: every <script> has a src from its origin, none carries text
  const scripts = await page.locator('script').evaluateAll((els) => els.map((s) => ({ src: (s as HTMLScriptElement).src, text: s.textContent ?? '' })));
  for (const s of scripts) {
    expect(new URL(s.src).origin).toBe(new URL(base).origin);
    expect(s.text).toBe('');
  }
}

const notice = (page: Page) => page.getByRole('status', { name: 'Adjusted URL values' });

describe('the Content-Security-Policy', () => {
  it('is the page’s first rule: a meta tag right after the charset', async () => {
    const { page, close } = await open(base + query(SHORT));
    const meta = await page.evaluate(() => {
      const m = document.head.querySelector('meta[http-equiv="Content-Security-Policy"]');
      return { content: m?.getAttribute('content'), before: m?.previousElementSibling?.getAttribute('charset') };
    });
    expect(meta).toEqual({ content: CONTENT_SECURITY_POLICY, before: 'UTF-8' });
    await close();
  });

  it('is enforced: an inline script, an image and a request from another origin are refused and reported', async () => {
    const { page, violations, close } = await open(base + query(SHORT));
    const fetchRefused = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__inline = 1';
      document.head.append(script);
      const img = document.createElement('img');
      img.src = 'http://192.0.2.1/x.png';
      document.body.append(img);
      return fetch('http://192.0.2.1/x').then(() => false, () => true);
    });
    expect(fetchRefused).toBe(true);
    await page.waitForFunction(() => (window as unknown as { __violations: string[] }).__violations.length >= 3);
    expect(await page.evaluate(() => (window as unknown as { __inline?: number }).__inline)).toBeUndefined();
    const seen = await violations();
    for (const directive of ['script-src', 'img-src', 'connect-src']) expect(seen.some((v) => v.startsWith(directive)), `${directive}: ${seen.join(', ')}`).toBe(true);
    await close();
  });

  it('a live run trains to the end with no violation and no request away from the origin', async () => {
    const { page, problems, requests, violations, close } = await open(base + query(SHORT));
    await waitForStatus(page, 'done');
    expect(await page.locator('.chip[data-backend]').getAttribute('data-backend')).toMatch(/^(webgl|wasm|cpu)$/);
    expect(await violations()).toEqual([]);
    expectNoProblems(problems);
    expectOwnOrigin(requests);
    // the engine worker and the WebGL probe worker it starts came from the origin
    expect(requests.some((u) => /engine\.worker/.test(u))).toBe(true);
    expect(requests.some((u) => /webgl-probe/.test(u))).toBe(true);
    await close();
  });

  it.each(['wasm', 'webgl', 'cpu'])('the %s backend works under it', async (backend) => {
    const { page, problems, requests, violations, close } = await open(base + query(SHORT, { backend }));
    await waitForStatus(page, 'done');
    expect(await page.locator('.chip[data-backend]').getAttribute('data-backend')).toBe(backend);
    if (backend === 'wasm') expect(requests.some((u) => u.endsWith('.wasm'))).toBe(true);
    expect(await violations()).toEqual([]);
    expectNoProblems(problems);
    expectOwnOrigin(requests);
    await close();
  });

  it('the default page: the precomputed run is fetched, the math typesets (KaTeX chunk, CSS and fonts), no violation', async () => {
    const { page, problems, requests, violations, close } = await open(base);
    await page.waitForFunction(() => document.querySelector('[data-testid=source]')?.getAttribute('data-value') === 'precomputed', null, { timeout: 60_000 });
    const tex = page.locator('.tex').first();
    await tex.scrollIntoViewIfNeeded();
    await page.locator('.katex').first().waitFor({ timeout: 60_000 });
    // the fonts KaTeX asks for are loaded, not refused
    await page.evaluate(() => document.fonts.ready);
    expect(await page.evaluate(() => [...document.fonts].some((f) => f.family.includes('KaTeX') && f.status === 'loaded'))).toBe(true);
    expect(requests.some((u) => u.includes('/precomputed/'))).toBe(true);
    expect(requests.some((u) => /katex/i.test(u))).toBe(true);
    expect(await violations()).toEqual([]);
    expectNoProblems(problems);
    expectOwnOrigin(requests);
    await close();
  });
});

describe('script and markup in the URL', () => {
  const SCRIPT = '<script>window.__pwned=1</script>';
  const IMG = '"><img src=x onerror="window.__pwned=2">';
  const HOSTILE = {
    beta: IMG,
    gamma: SCRIPT,
    momentumForm: '<svg onload=window.__pwned=3>',
    scene: SCRIPT,
    t: IMG,
    theme: '</style><script>window.__pwned=4</script>',
    backend: 'javascript:window.__pwned=5',
    sigma: 'x'.repeat(10_000),
  };

  it('are shown as text in the notice, cut short, run nothing, and the page still trains', async () => {
    const { page, problems, requests, violations, close } = await open(base + query(SHORT, HOSTILE));
    await notice(page).waitFor();
    const text = (await notice(page).textContent()) ?? '';
    for (const key of Object.keys(HOSTILE)) expect(text, key).toContain(key);
    // the values, as text: escaped by React, never parsed as markup
    expect(text).toContain(SCRIPT);
    expect(text).toContain('<img src=x onerror="window.__pwned=2">');
    expect(text).toContain('javascript:window.__pwned=5');
    // a 10,000-character value is quoted as 40 characters and an ellipsis
    expect(text).toContain(`${'x'.repeat(40)}…`);
    expect(text).not.toContain('x'.repeat(41));
    expect(text.length).toBeLessThan(3000);
    await waitForStatus(page, 'done');
    await expectInert(page);
    expect(await violations()).toEqual([]);
    expectNoProblems(problems);
    expectOwnOrigin(requests);
    await close();
  });

  it('in the embed view: the notes are text, the figure trains', async () => {
    const url = base + query(SHORT, { ...HOSTILE, panel: 'race', controls: `gamma,${IMG},${SCRIPT}`, autoplay: SCRIPT, loop: IMG });
    const { page, problems, requests, violations, close } = await open(url);
    await page.locator('.embed-notes').waitFor();
    const notes = (await page.locator('.embed-notes').textContent()) ?? '';
    expect(notes).toContain('controls: no slider for');
    expect(notes).toContain('<img src=x onerror');
    expect(notes).toContain('autoplay must be 1 or 0');
    expect(await notice(page).textContent()).toContain(SCRIPT);
    expect(await page.locator('.embed-controls input[name=gamma]').count()).toBeGreaterThan(0);
    await page.waitForSelector('[data-testid=status][data-value=done]', { timeout: 120_000 });
    await expectInert(page);
    expect(await violations()).toEqual([]);
    expectNoProblems(problems);
    expectOwnOrigin(requests);
    await close();
  });

  it('an embed of an unknown panel names it as text', async () => {
    const { page, problems, violations, close } = await open(`${base}?panel=${encodeURIComponent(IMG + 'y'.repeat(500))}`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    expect(text).toContain('No figure called “"><img src=x onerror="window.__pwned=2">');
    expect(text).not.toContain('y'.repeat(41));
    await expectInert(page);
    expect(await violations()).toEqual([]);
    expectNoProblems(problems);
    await close();
  });
});

describe('embedded in another origin’s frame', () => {
  let host: Awaited<ReturnType<typeof crossOriginHost>>;
  let hostUrl: string;
  beforeAll(async () => {
    const src = base + query(SHORT, { panel: 'race' });
    host = await crossOriginHost(`<!doctype html><title>Talk</title><iframe src="${attribute(src)}" width="800" height="500" title="race"></iframe>`);
    hostUrl = host.url;
  });
  afterAll(() => host.close());

  it('loads and trains: the policy does not forbid framing', async () => {
    const { page, problems, close } = await open(hostUrl);
    expect(new URL(hostUrl).origin).not.toBe(new URL(base).origin);
    const frame = page.frames().find((f) => f !== page.mainFrame())!;
    await frame.waitForSelector('[data-testid=status][data-value=done]', { timeout: 120_000 });
    expect(await frame.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
    expectNoProblems(problems);
    await close();
  });
});
