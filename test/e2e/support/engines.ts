/**
 * The page in the two engines besides Chromium, behind one small interface:
 *
 * - Firefox (Debian's firefox-esr) through puppeteer-core over WebDriver BiDi: Firefox speaks BiDi
 *   itself, so no geckodriver (not packaged by Debian 12; npm's geckodriver downloads it from GitHub,
 *   which these machines cannot reach).
 * - WebKit (WebKitGTK's MiniBrowser, the engine of Safari) through selenium-webdriver and
 *   WebKitWebDriver (Debian's webkit2gtk-driver), under an Xvfb display of its own. WebKitWebDriver
 *   2.50 speaks classic W3C WebDriver only (no BiDi: a `webSocketUrl` capability fails to match),
 *   so it has no console events and no way to run a script before the page's own: the page is served
 *   by test/e2e/support/static-server.ts with its probe, which records problems in the page.
 *
 * Downloads land in a fresh folder per browser: Firefox's download preferences; MiniBrowser saves
 * into $HOME, so WebKitWebDriver (and the MiniBrowser it starts) get a temporary HOME.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser as PuppeteerBrowser, type Page as PuppeteerPage } from 'puppeteer-core';
import type { Browser as PlaywrightBrowser, Page as PlaywrightPage } from 'playwright-core';
import { Builder, By, type WebDriver } from 'selenium-webdriver';
import { launchChromium } from './browser';

export type EngineName = 'firefox' | 'webkit';
export const ENGINES: EngineName[] = ['firefox', 'webkit'];

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const WEBKIT_DRIVER_PATH = process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver';
export const MINIBROWSER_PATH = process.env.MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

export interface EnginePage {
  readonly engine: EngineName | 'chromium';
  /** The browser's name and version, e.g. firefox/153.8.0, MiniBrowser/2.50.6. */
  readonly version: string;
  goto(url: string): Promise<void>;
  /** Runs `body` (a function body; arguments in `arguments`) in the page; awaits a returned promise. */
  run<T>(body: string, ...args: unknown[]): Promise<T>;
  /** Polls the JavaScript expression `expr` in the page until it is truthy. */
  waitFor(expr: string, timeoutMs?: number, what?: string): Promise<void>;
  /** A real click (the driver's input events) on the first element matching `selector`. */
  click(selector: string): Promise<void>;
  screenshot(path: string): Promise<void>;
  /** Everything that went wrong in the page so far (the probe's record, plus the driver's events). */
  problems(): Promise<string[]>;
  /** The file `name` once the browser has finished downloading it. */
  download(name: string, timeoutMs?: number): Promise<Buffer>;
  close(): Promise<void>;
}

export function engineMissing(name: EngineName): string | null {
  const need = name === 'firefox' ? [FIREFOX_PATH] : [WEBKIT_DRIVER_PATH, MINIBROWSER_PATH, 'Xvfb'];
  for (const path of need) {
    if (path === 'Xvfb') {
      if (!process.env.PATH?.split(':').some((d) => existsSync(join(d, 'Xvfb')))) return 'Xvfb (Debian: xvfb)';
    } else if (!existsSync(path)) return `${path} (Debian: ${name === 'firefox' ? 'firefox-esr' : 'webkit2gtk-driver'})`;
  }
  return null;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function poll<T>(read: () => Promise<T>, ok: (x: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const x = await read();
    if (ok(x)) return x;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(x)})`);
    await sleep(150);
  }
}

/** A free TCP port on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

const READ_PROBLEMS = 'return (window.__problems || []).slice();';

/** The shared part: waiting and reading downloads, on top of run(). */
abstract class Base implements EnginePage {
  abstract readonly engine: EngineName | 'chromium';
  abstract readonly version: string;
  constructor(protected readonly downloads: string) {}
  abstract goto(url: string): Promise<void>;
  abstract run<T>(body: string, ...args: unknown[]): Promise<T>;
  abstract click(selector: string): Promise<void>;
  abstract screenshot(path: string): Promise<void>;
  abstract problems(): Promise<string[]>;
  abstract close(): Promise<void>;

  async waitFor(expr: string, timeoutMs = 120_000, what = expr): Promise<void> {
    // a page that reports an error stops the wait at once
    const body = `const s = document.querySelector('[data-testid=status]');
      if (s && s.getAttribute('data-value') === 'error') return 'error: ' + (document.querySelector('.error')?.textContent ?? '');
      return !!(${expr});`;
    const got = await poll(() => this.run<boolean | string>(body), (x) => x === true || typeof x === 'string', timeoutMs, what);
    if (typeof got === 'string') throw new Error(`the page failed while waiting for ${what}: ${got}`);
  }

  async download(name: string, timeoutMs = 90_000): Promise<Buffer> {
    const file = join(this.downloads, name);
    // Firefox writes NAME.part first; a file counts once it is there, non-empty and its size holds
    let last = -1;
    await poll(
      async () => {
        const names = readdirSync(this.downloads);
        if (!names.includes(name) || names.some((n) => n.startsWith(name) && n !== name)) return false;
        const size = readFileSync(file).length;
        const steady = size > 0 && size === last;
        last = size;
        return steady;
      },
      (x) => x,
      timeoutMs,
      `the download ${name}`,
    );
    const bytes = readFileSync(file);
    rmSync(file);
    return bytes;
  }
}

class FirefoxPage extends Base {
  readonly engine = 'firefox' as const;
  private readonly native: string[] = [];
  private constructor(
    private readonly browser: PuppeteerBrowser,
    private readonly page: PuppeteerPage,
    readonly version: string,
    downloads: string,
  ) {
    super(downloads);
    page.on('console', (m) => {
      if (m.type() === 'error') this.native.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => this.native.push(`page: ${e instanceof Error ? e.message : String(e)}`));
    page.on('requestfailed', (r) => this.native.push(`request: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  }

  static async launch(viewport: { width: number; height: number }): Promise<FirefoxPage> {
    const downloads = mkdtempSync(join(tmpdir(), 'momentum-firefox-dl-'));
    const browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX_PATH,
      headless: true,
      extraPrefsFirefox: {
        'browser.download.dir': downloads,
        'browser.download.folderList': 2,
        'browser.download.useDownloadDir': true,
        'browser.download.always_ask_before_handling_new_types': false,
        'browser.download.alwaysOpenPanel': false,
      },
    });
    const page = await browser.newPage();
    // puppeteer-core 24.43's setViewport also sends emulation.setScreenOrientationOverride, which
    // Firefox ESR 140.12 (Debian, December 2026) does not know: the whole call rejects and the page
    // stays at 800 x 600. Then the viewport alone, by WebDriver BiDi's browsingContext.setViewport
    // (through the frame's BiDi context, which puppeteer does not type); the size is checked below.
    await page.setViewport(viewport).catch(async (error: unknown) => {
      if (!(error instanceof Error && /unknown command emulation\.setScreenOrientationOverride/.test(error.message))) throw error;
      const context = (page.mainFrame() as unknown as { browsingContext?: { setViewport(o: object): Promise<void> } }).browsingContext;
      if (!context) throw error;
      await context.setViewport({ viewport, devicePixelRatio: null });
    });
    const size = await page.evaluate(() => [window.innerWidth, window.innerHeight]);
    if (size[0] !== viewport.width || size[1] !== viewport.height) {
      await browser.close();
      throw new Error(`Firefox's viewport is ${size.join(' x ')}, not the ${viewport.width} x ${viewport.height} asked for`);
    }
    return new FirefoxPage(browser, page, await browser.version(), downloads);
  }

  async goto(url: string) {
    await this.page.goto(url, { waitUntil: 'load' });
  }
  run<T>(body: string, ...args: unknown[]): Promise<T> {
    return this.page.evaluate(new Function(body) as (...a: unknown[]) => T, ...args) as Promise<T>;
  }
  async click(selector: string) {
    // Not page.locator(): its waiting runs code that Firefox ESR 140.12 blocks under the page's CSP
    // (no 'unsafe-eval'), and it timed out; an element handle's click works there.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const handle = await this.page.$(selector);
      if (handle) {
        await handle.click();
        await handle.dispose();
        return;
      }
      if (Date.now() > deadline) throw new Error(`Firefox: no ${selector} after 30 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  async screenshot(path: string) {
    await this.page.screenshot({ path: path as `${string}.png` });
  }
  async problems() {
    return [...(await this.run<string[]>(READ_PROBLEMS)), ...this.native];
  }
  async close() {
    await this.browser.close();
    rmSync(this.downloads, { recursive: true, force: true });
  }
}

class WebKitPage extends Base {
  readonly engine = 'webkit' as const;
  private constructor(
    private readonly driver: WebDriver,
    private readonly processes: ChildProcess[],
    readonly version: string,
    private readonly home: string,
  ) {
    super(home);
  }

  static async launch(viewport: { width: number; height: number }): Promise<WebKitPage> {
    const home = mkdtempSync(join(tmpdir(), 'momentum-webkit-home-'));
    const processes: ChildProcess[] = [];
    try {
      // an X display of its own: Xvfb writes the display number it chose to -displayfd
      const xvfb = spawn('Xvfb', ['-displayfd', '1', '-screen', '0', `${viewport.width + 200}x${viewport.height + 300}x24`, '-nolisten', 'tcp'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      processes.push(xvfb);
      const display = await new Promise<string>((done, fail) => {
        let out = '';
        xvfb.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) done(`:${out.trim()}`);
        });
        xvfb.on('exit', (code) => fail(new Error(`Xvfb exited (${code})`)));
      });
      const port = await freePort();
      const driverProcess = spawn(WEBKIT_DRIVER_PATH, [`--port=${port}`], {
        stdio: 'ignore',
        env: { ...process.env, DISPLAY: display, HOME: home, XDG_CACHE_HOME: join(home, '.cache'), XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local') },
      });
      processes.push(driverProcess);
      const server = `http://127.0.0.1:${port}`;
      await poll(
        () => fetch(`${server}/status`).then((r) => r.ok, () => false),
        (x) => x,
        30_000,
        'WebKitWebDriver to answer',
      );
      const driver = await new Builder()
        .usingServer(server)
        .withCapabilities({ browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary: MINIBROWSER_PATH, args: ['--automation'] } })
        .build();
      await driver.manage().setTimeouts({ script: 120_000, pageLoad: 120_000 });
      await driver.manage().window().setRect({ width: viewport.width, height: viewport.height, x: 0, y: 0 });
      const caps = await driver.getCapabilities();
      return new WebKitPage(driver, processes, `${caps.get('browserName')}/${caps.get('browserVersion')}`, home);
    } catch (e) {
      for (const p of processes.reverse()) p.kill();
      throw e;
    }
  }

  async goto(url: string) {
    await this.driver.get(url);
  }
  run<T>(body: string, ...args: unknown[]): Promise<T> {
    // the W3C "execute script" command awaits a returned promise
    return this.driver.executeScript(body, ...args) as Promise<T>;
  }
  async click(selector: string) {
    const el = await this.driver.findElement(By.css(selector));
    await this.driver.executeScript('arguments[0].scrollIntoView({ block: "center" });', el);
    await el.click();
  }
  async screenshot(path: string) {
    writeFileSync(path, await this.driver.takeScreenshot(), 'base64');
  }
  problems() {
    return this.run<string[]>(READ_PROBLEMS);
  }
  async close() {
    try {
      await this.driver.quit();
    } finally {
      for (const p of this.processes.reverse()) p.kill();
      rmSync(this.home, { recursive: true, force: true });
    }
  }
}

/**
 * Chromium behind the same interface (playwright-core, as the other end-to-end tests drive it):
 * for the benchmark, which measures all three engines with the same in-page code.
 */
class ChromiumPage extends Base {
  readonly engine = 'chromium' as const;
  private constructor(
    private readonly browser: PlaywrightBrowser,
    private readonly page: PlaywrightPage,
    readonly version: string,
    downloads: string,
  ) {
    super(downloads);
  }

  static async launch(viewport: { width: number; height: number }): Promise<ChromiumPage> {
    const browser = await launchChromium();
    // the body runs through new Function in the page: the page's CSP (no eval) is bypassed for it
    const page = await browser.newPage({ viewport, bypassCSP: true });
    return new ChromiumPage(browser, page, `chromium/${browser.version()}`, mkdtempSync(join(tmpdir(), 'momentum-chromium-dl-')));
  }

  async goto(url: string) {
    await this.page.goto(url);
  }
  run<T>(body: string, ...args: unknown[]): Promise<T> {
    return this.page.evaluate(({ body, args }) => new Function(body)(...args), { body, args }) as Promise<T>;
  }
  async click(selector: string) {
    await this.page.locator(selector).first().click();
  }
  async screenshot(path: string) {
    await this.page.screenshot({ path });
  }
  problems() {
    return this.run<string[]>(READ_PROBLEMS);
  }
  async close() {
    await this.browser.close();
    rmSync(this.downloads, { recursive: true, force: true });
  }
}

export function launchEngine(name: EngineName | 'chromium', viewport = { width: 1280, height: 900 }): Promise<EnginePage> {
  if (name === 'chromium') return ChromiumPage.launch(viewport);
  const missing = engineMissing(name);
  if (missing) throw new Error(`${name}: ${missing} is missing: .ci/run installs it`);
  return name === 'firefox' ? FirefoxPage.launch(viewport) : WebKitPage.launch(viewport);
}
