/**
 * Export from a figure's frame: every button of the race panel and of one time-series panel (the
 * feature) produces a file that opens: PNG at twice the figure's CSS width, SVG that parses, the
 * trace as CSV and JSON, a WebM video of the replay.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SHORT } from './support/configs';
import { loggedSteps } from '../../src/sim/trace';
import { TRACE_COLUMNS } from '../../src/ui/export/data';
import { launchChromium, openPage, type PageWithLog } from './support/browser';
import { expectNoProblems, query, waitForStatus } from './support/page';
import { openTools } from './support/tools';

const base = inject('baseUrl');
const K = loggedSteps(SHORT.T, SHORT.logEvery, SHORT.logDense).length;

let browser: Browser;
let opened: PageWithLog;
let page: Page;
beforeAll(async () => {
  browser = await launchChromium();
  opened = await openPage(browser, base + query(SHORT), { viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  page = opened.page;
  await waitForStatus(page, 'done');
});
afterAll(async () => {
  await opened?.close();
  await browser?.close();
});

/** Press one export button (with the keyboard when asked) and read the file it downloads. */
async function exported(panel: string, format: string, keyboard = false) {
  await openTools(page, panel);
  const button = page.locator(`[data-panel=${panel}] [data-export=${format}]`);
  const waiting = page.waitForEvent('download', { timeout: 90_000 });
  if (keyboard) {
    await button.focus();
    await page.keyboard.press('Enter');
  } else {
    await button.click();
  }
  const download = await waiting;
  const bytes = readFileSync((await download.path())!);
  return { name: download.suggestedFilename(), bytes };
}

const cssWidth = (panel: string) => page.locator(`[data-panel=${panel}]`).evaluate((el) => el.getBoundingClientRect().width);

describe.each(['race', 'feature'])('exports of the %s panel', (panel) => {
  it('the buttons are named for the figure', async () => {
    const png = page.locator(`[data-panel=${panel}] [data-export=png]`);
    expect(await png.getAttribute('aria-label')).toMatch(/PNG/);
    expect(await png.evaluate((el) => el.tagName)).toBe('BUTTON');
  });

  it('PNG: an image twice the figure’s CSS width', async () => {
    const { name, bytes } = await exported(panel, 'png');
    expect(name).toBe(`momentum-${panel}-t${SHORT.T}.png`);
    expect([...bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    const size = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      return { w: img.naturalWidth, h: img.naturalHeight };
    }, bytes.toString('base64'));
    expect(size.w).toBe(Math.round(2 * (await cssWidth(panel))));
    expect(size.h).toBeGreaterThan(100);
  });

  it('SVG: one standalone drawing that parses, with the figure’s layers', async () => {
    const { name, bytes } = await exported(panel, 'svg');
    expect(name).toBe(`momentum-${panel}-t${SHORT.T}.svg`);
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        root: doc.documentElement.nodeName,
        images: [...doc.querySelectorAll('image')].map((i) => i.getAttribute('href')?.slice(0, 22)),
        paths: doc.querySelectorAll('path').length,
        // no CSS variables left: colours are resolved
        vars: text.includes('var(--'),
      };
    }, bytes.toString('utf8'));
    expect(parsed.error).toBeNull();
    expect(parsed.root).toBe('svg');
    expect(parsed.vars).toBe(false);
    if (panel === 'race') expect(parsed.images).toEqual(['data:image/png;base64,', 'data:image/png;base64,']);
    else expect(parsed.paths).toBeGreaterThan(2);
  });

  it('CSV: the trace’s columns, a row per logged step per run', async () => {
    const { name, bytes } = await exported(panel, 'csv', true);
    expect(name).toBe(`momentum-${panel}.csv`);
    const lines = bytes.toString('utf8').trimEnd().split('\n');
    expect(lines[0].split(',')).toEqual(['run', ...TRACE_COLUMNS]);
    for (const run of ['gd', 'gdm']) expect(lines.filter((l) => l.startsWith(`${run},`))).toHaveLength(K);
  });

  it('JSON: the configuration and every run’s rows', async () => {
    const { name, bytes } = await exported(panel, 'json');
    expect(name).toBe(`momentum-${panel}.json`);
    const json = JSON.parse(bytes.toString('utf8'));
    expect(json.config.T).toBe(SHORT.T);
    expect(json.runs.gd.rows).toHaveLength(K);
    expect(json.runs.gdm.rows).toHaveLength(K);
    expect(json.runs.gdm.rows.at(-1).t).toBe(SHORT.T);
  });

  it('WebM: a video of the replay, and the view back where it was', async () => {
    const { name, bytes } = await exported(panel, 'webm');
    expect(name).toBe(`momentum-${panel}.webm`);
    expect(bytes.length).toBeGreaterThan(1024);
    expect([...bytes.subarray(0, 4)]).toEqual([0x1a, 0x45, 0xdf, 0xa3]);
    await expect.poll(() => page.getByTestId(`export-status-${panel}`).textContent()).toMatch(/Saved/);
    expect(await page.locator('.figures').getAttribute('data-t')).toBe(String(SHORT.T));
  });
});

describe('no problems', () => {
  it('the page logged no errors while exporting', () => expectNoProblems(opened.problems));
});
