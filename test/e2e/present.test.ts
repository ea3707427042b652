/** Present mode (?present=1): the story as 16:9 slides, walked from the first scene to the last by keys; speaker notes on s. */
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SCENE_IDS } from '../../src/sim/story';
import { SCENE_FIGURE } from '../../src/view/scenes';
import { launchChromium, openPage } from './support/browser';
import { SHORT } from './support/configs';
import { expectNoProblems, query, waitForStatus } from './support/page';

const base = inject('baseUrl');
const SHOTS = 'test-results/screenshots/present';
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(() => browser?.close());

describe('present mode', () => {
  it('one scene per slide, its figure alone, large text; → and ← walk the scenes; space replays; s opens the notes', async () => {
    const { page, problems, close } = await openPage(browser, base + query(SHORT, { present: '1' }), { viewport: { width: 1280, height: 720 } });
    await waitForStatus(page, 'done');
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('24px');
    const box = (await page.locator('.present-slide').boundingBox())!;
    expect(Math.abs(box.width / box.height - 16 / 9)).toBeLessThan(0.01);
    for (let i = 0; i < SCENE_IDS.length; i++) {
      const id = SCENE_IDS[i];
      await page.waitForSelector(`.present-slide[data-scene=${id}]`);
      await page.locator(`[data-panel=${SCENE_FIGURE[id]}]`).waitFor();
      expect(await page.locator('[data-panel]').count()).toBe(1);
      // the figure fits the slide: nothing scrolls
      expect(await page.evaluate(() => document.documentElement.scrollHeight <= innerHeight && document.documentElement.scrollWidth <= innerWidth)).toBe(true);
      await page.waitForSelector('.present-figure[data-fit-state=steady]');
      await page.screenshot({ path: `${SHOTS}/${i + 1}-${id}.png` });
      if (i < SCENE_IDS.length - 1) await page.keyboard.press('ArrowRight');
    }
    // past the last scene: stays there; ← goes back
    await page.keyboard.press('ArrowRight');
    expect(await page.locator('.present-slide').getAttribute('data-scene')).toBe(SCENE_IDS.at(-1));
    await page.keyboard.press('ArrowLeft');
    await page.waitForSelector(`.present-slide[data-scene=${SCENE_IDS.at(-2)}]`);
    // space: the scene's replay
    await page.waitForFunction(() => !document.querySelector('[data-panel]')?.closest('.present')?.querySelector('.replaying'), null);
    await page.keyboard.press(' ');
    // s: the notes, live, in a second window
    const [notes] = await Promise.all([page.context().waitForEvent('page'), page.keyboard.press('s')]);
    await notes.waitForSelector(`[data-testid=notes][data-scene=${SCENE_IDS.at(-2)}]`);
    expect((await notes.locator('[data-testid=notes]').textContent())!.length).toBeGreaterThan(100);
    await page.keyboard.press('ArrowLeft');
    await notes.waitForSelector(`[data-testid=notes][data-scene=${SCENE_IDS.at(-3)}]`);
    expectNoProblems(problems);
    await close();
  });
});
