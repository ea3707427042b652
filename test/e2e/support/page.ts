import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Config } from '../../../src/sim/params';
import { DEFAULT_CONFIG } from '../../../src/sim/params';

/** The page's query for a config (only non-defaults) plus extra keys such as backend. */
export function query(config: Partial<Config>, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams(extra);
  for (const [k, v] of Object.entries(config)) if (DEFAULT_CONFIG[k as keyof Config] !== v) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export async function value(page: Page, testId: string): Promise<number> {
  const raw = await page.getByTestId(testId).getAttribute('data-value');
  return raw === null || raw === '' ? Number.NaN : Number(raw);
}

export async function status(page: Page): Promise<string | null> {
  return page.getByTestId('status').getAttribute('data-value');
}

export async function waitForStatus(page: Page, wanted: string, timeout = 120_000): Promise<void> {
  await page.waitForFunction(
    ([w]) => {
      const s = document.querySelector('[data-testid=status]')?.getAttribute('data-value');
      if (s === 'error') throw new Error(document.querySelector('.error')?.textContent ?? 'error');
      return s === w;
    },
    [wanted],
    { timeout },
  );
}

/** The last logged numbers the page shows for one run. */
export async function shown(page: Page, run: 'gd' | 'gdm') {
  const get = (f: string) => value(page, `${run}-${f}`);
  return {
    t: await get('t'),
    trainErr: await get('trainErr'),
    testErr: await get('testErr'),
    testErrSmall: await get('testErrSmall'),
    testErrLarge: await get('testErrLarge'),
    cMax: await get('cMax'),
  };
}

export async function backendShown(page: Page): Promise<string | null> {
  await page.waitForSelector('.chip[data-backend]');
  return page.locator('.chip').getAttribute('data-backend');
}

export function expectNoProblems(problems: string[]): void {
  expect(problems, problems.join('\n')).toEqual([]);
}

export async function runIdShown(page: Page): Promise<number> {
  return Number(await page.getByTestId('runs').getAttribute('data-run-id'));
}

/**
 * Wait until a run newer than `before` is done. Until the worker acknowledges a new configuration,
 * the page still shows the old run's status, which may already be 'done'.
 */
export async function waitForRunDone(page: Page, before: number, timeout = 120_000): Promise<void> {
  await page.waitForFunction(
    (b) => Number(document.querySelector('[data-testid=runs]')?.getAttribute('data-run-id')) > b,
    before,
    { timeout },
  );
  await waitForStatus(page, 'done', timeout);
}

/** Open the section with every parameter but gamma and beta (closed by default). */
export async function openAdvanced(page: Page): Promise<void> {
  const details = page.locator('details.advanced');
  if (!(await details.evaluate((el: HTMLDetailsElement) => el.open))) await details.locator('summary').click();
}
