/**
 * What a reader does with the page: pause, step, resume, reset, change a parameter (also a hundred
 * times a second), open a link with wild values, pick a learning rate that diverges.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Config, DEFAULT_CONFIG } from '../../src/sim/params';
import { launchChromium, openPage } from './support/browser';
import { expectNoProblems, openAdvanced, query, runIdShown, shown, status, value, waitForRunDone, waitForStatus } from './support/page';

const base = inject('baseUrl');
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

const LONG: Config = { ...DEFAULT_CONFIG, seeds: 1, N: 200, Ntest: 200, T: 20000, logEvery: 5 };
const SHORT: Config = { ...DEFAULT_CONFIG, seeds: 1, N: 120, Ntest: 200, T: 60, logEvery: 10, seed: 5 };

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

async function waitFor(page: Page, predicate: () => Promise<boolean>, what: string, timeout = 60_000) {
  const until = Date.now() + timeout;
  while (!(await predicate())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await page.waitForTimeout(25);
  }
}

/** Records every drawn (run id, logged step of GD+M) pair, from the DOM itself. */
const RECORD_FRAMES = () => {
  const frames: { runId: string | null; t: string | null }[] = [];
  (window as unknown as { __frames: typeof frames }).__frames = frames;
  new MutationObserver(() => {
    const runs = document.querySelector('[data-testid=runs]');
    const t = document.querySelector('[data-testid=gdm-t]');
    if (runs && t) frames.push({ runId: runs.getAttribute('data-run-id'), t: t.getAttribute('data-value') });
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-value', 'data-run-id'] });
};

describe('playback', () => {
  it('pause stops, step takes exactly the asked steps, resume goes on, reset starts over', async () => {
    const { page, problems, close } = await openPage(browser, base + query(LONG));
    await waitForStatus(page, 'running');
    await waitFor(page, async () => (await value(page, 't')) > 50, 'some progress');

    await button(page, 'Pause').click();
    await waitForStatus(page, 'paused');
    const paused = await value(page, 't');
    await page.waitForTimeout(600);
    expect(await value(page, 't')).toBe(paused);

    await button(page, 'Step 10').click();
    await waitFor(page, async () => (await value(page, 't')) === paused + 10, 'ten more steps');
    await page.waitForTimeout(300);
    expect(await value(page, 't')).toBe(paused + 10);
    expect(await status(page)).toBe('paused');

    await button(page, 'Resume').click();
    await waitFor(page, async () => (await value(page, 't')) > paused + 30, 'training to go on');
    expect(await status(page)).toBe('running');

    const before = await runIdShown(page);
    const reached = await value(page, 't');
    await button(page, 'Reset').click();
    await waitFor(page, async () => (await runIdShown(page)) > before, 'a new run');
    await waitFor(page, async () => (await value(page, 't')) < reached, 'the step counter to start over');
    expectNoProblems(problems);
    await close();
  });
});

describe('changing a parameter', () => {
  it('starts a new run, and no frame of the old one is drawn afterwards', async () => {
    const { page, problems, close } = await openPage(browser, base + query(LONG), { initScript: RECORD_FRAMES });
    await waitFor(page, async () => (await value(page, 'gdm-t')) > 100, 'the first run to get going');
    const old = await runIdShown(page);

    await page.locator('input[name=beta]').fill('0.2');
    await page.locator('input[name=beta]').press('Enter');
    await waitFor(page, async () => (await runIdShown(page)) > old && (await value(page, 'gdm-t')) > 50, 'the new run');
    await page.waitForTimeout(500);

    const frames = await page.evaluate(() => (window as unknown as { __frames: { runId: string; t: string }[] }).__frames);
    const first = frames.findIndex((f) => Number(f.runId) > old);
    expect(first).toBeGreaterThan(0);
    const after = frames.slice(first).filter((f) => f.t !== '');
    expect(after.every((f) => Number(f.runId) === Number(frames[first].runId))).toBe(true);
    // the new run's steps only go forward, from its own start
    const ts = after.map((f) => Number(f.t));
    expect(ts[0]).toBeLessThan(100);
    expect(ts.every((t, i) => i === 0 || t >= ts[i - 1])).toBe(true);
    expect(new URL(page.url()).searchParams.get('beta')).toBe('0.2');
    expectNoProblems(problems);
    await close();
  });

  it('replays GD when only gamma changes: the same GD numbers, new GD+M numbers', async () => {
    const { page, problems, close } = await openPage(browser, base + query(SHORT));
    await waitForStatus(page, 'done');
    const gdBefore = await shown(page, 'gd');
    const gdmBefore = await shown(page, 'gdm');
    const before = await runIdShown(page);
    await page.locator('input[name=gamma]').fill('0.5');
    await page.locator('input[name=gamma]').press('Enter');
    await page.getByText('replayed: GD does not depend on γ').waitFor();
    await waitForRunDone(page, before);
    expect(await shown(page, 'gd')).toEqual(gdBefore);
    expect((await shown(page, 'gdm')).cMax).not.toBe(gdmBefore.cMax);
    await expect(page.getByRole('heading', { name: 'GD+M (γ = 0.5)' }).count()).resolves.toBe(1);
    expectNoProblems(problems);
    await close();
  });

  it('survives a slider dragged a hundred times a second, and ends on the last value', async () => {
    const { page, problems, close } = await openPage(browser, base + query({ ...SHORT, T: 400 }));
    // the first run has started (it may already be done: 400 steps take well under a second)
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=runs]')?.getAttribute('data-run-id')) > 0);
    const before = await runIdShown(page);
    const slider = page.getByRole('slider', { name: 'γ slider' });
    await slider.evaluate(async (el: HTMLInputElement) => {
      const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      for (let i = 0; i < 100; i++) {
        set.call(el, String(300 + i * 6));
        el.dispatchEvent(new Event('input', { bubbles: true }));
        await new Promise((r) => setTimeout(r, 10));
      }
    });
    // the last slider position, 894 of 1000, is gamma = 0.999 * 0.894 on the 0.001 grid
    const last = Number(await page.locator('input[name=gamma]').inputValue());
    expect(last).toBe(0.893);
    await waitForRunDone(page, before);
    await expect(page.getByRole('heading', { name: `GD+M (γ = ${last})` }).count()).resolves.toBe(1);
    expect((await shown(page, 'gdm')).t).toBe(400);
    // and the keyboard moves the slider too
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((g) => (document.querySelector('input[name=gamma]') as HTMLInputElement).value !== String(g), last);
    expectNoProblems(problems);
    await close();
  });
});

describe('bad input', () => {
  it('clamps wild URL values, says so, and trains with the clamped values', async () => {
    const { page, problems, close } = await openPage(browser, `${base}?N=1e9&gamma=-3&beta=abc&T=20&Ntest=50&backend=quantum&foo=1`);
    const notice = page.getByRole('status', { name: 'Adjusted URL values' });
    await notice.waitFor();
    const text = await notice.textContent();
    for (const key of ['N', 'gamma', 'beta', 'backend']) expect(text).toContain(key);
    expect(text).toContain('using 2000');
    await waitForStatus(page, 'done');
    expect(await page.locator('input[name=N]').inputValue()).toBe('2000');
    expect(await page.locator('input[name=gamma]').inputValue()).toBe('0');
    expectNoProblems(problems);
    await close();
  });

  it('says so when the learning rate diverges, and keeps working', async () => {
    const { page, problems, close } = await openPage(browser, base + query({ ...SHORT, eta: 100, sigma0: 0.3, sigma: 1, N: 50, Ntest: 50, T: 30 }));
    await waitForStatus(page, 'done');
    const diverged = page.locator('[data-run]').filter({ has: page.getByRole('alert').filter({ hasText: 'Diverged at step' }) });
    expect(await diverged.count()).toBeGreaterThan(0);
    // a diverged run is frozen at its last finite logged step: no NaN is ever shown as a number
    for (const run of await diverged.evaluateAll((els) => els.map((e) => e.getAttribute('data-run')))) {
      const frozen = await shown(page, run as 'gd' | 'gdm');
      expect(frozen.t).toBeLessThan(await value(page, `${run}-diverged`));
      expect(Number.isFinite(frozen.trainErr) && Number.isFinite(frozen.cMax)).toBe(true);
    }
    // a small enough learning rate brings it back
    const before = await runIdShown(page);
    await openAdvanced(page);
    await page.locator('input[name=eta]').fill('0.01');
    await page.locator('input[name=eta]').press('Enter');
    await waitForRunDone(page, before);
    await expect(page.getByRole('alert').filter({ hasText: 'Diverged' }).count()).resolves.toBe(0);
    expectNoProblems(problems);
    await close();
  });

  it('rejects an out-of-range value typed into a control, naming the range', async () => {
    const { page, problems, close } = await openPage(browser, base + query(SHORT));
    await waitForStatus(page, 'done');
    const before = await runIdShown(page);
    await page.locator('input[name=gamma]').fill('1.5');
    await page.locator('input[name=gamma]').press('Enter');
    await page.getByRole('alert').filter({ hasText: 'γ must be a number from 0 to 0.999 (got "1.5")' }).waitFor();
    expect(await runIdShown(page)).toBe(before);
    expectNoProblems(problems);
    await close();
  });
});
