/**
 * Real headless Chromium (Debian's package) driven by playwright-core, with the flags that give
 * WebGL2 through SwiftShader in workers on a machine without a GPU (shared/browser-testing.md).
 */
import { existsSync } from 'node:fs';
import { type Browser, type BrowserContextOptions, type Page, chromium } from 'playwright-core';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(`Chromium not found at ${path}: install Debian's chromium package (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  return path;
}

/** `extraArgs`: more Chromium switches, e.g. --disable-gpu --disable-software-rasterizer for a browser without WebGL. */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_FLAGS, ...extraArgs], headless: true });
}

export interface PageWithLog {
  page: Page;
  /** Console errors, page errors and failed requests seen so far. */
  problems: string[];
  /** Every URL requested so far, by the page and by its workers. */
  requests: string[];
  /** Close the page's own browser context. */
  close: () => Promise<void>;
}

export interface OpenOptions extends BrowserContextOptions {
  /** Runs in the page before any of its own scripts (e.g. to record frames). */
  initScript?: string | (() => void);
}

/** A fresh page in its own context that records everything that went wrong on it. */
export async function openPage(browser: Browser, url: string, { initScript, ...options }: OpenOptions = {}): Promise<PageWithLog> {
  const context = await browser.newContext(options);
  if (initScript) await context.addInitScript(initScript);
  const requests: string[] = [];
  // the context sees the workers' requests too
  context.on('request', (request) => requests.push(request.url()));
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
  // A live run aborts the precomputed full rows' fetch on purpose (src/state/controller.ts): not a problem.
  const intended = (request: { url(): string; failure(): { errorText: string } | null }) =>
    /\/precomputed\/default\.f32$/.test(new URL(request.url()).pathname) && request.failure()?.errorText === 'net::ERR_ABORTED';
  page.on('requestfailed', (request) => intended(request) || problems.push(`request: ${request.url()} ${request.failure()?.errorText ?? ''}`));
  await page.goto(url);
  return { page, problems, requests, close: () => context.close() };
}
