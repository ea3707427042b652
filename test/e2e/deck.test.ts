/**
 * Every figure in a real reveal.js 6 deck on another origin, as a speaker puts it there with "Copy
 * embed code": at 800 x 500 and 1280 x 720, with and without large=1, in the black and the white
 * theme (with the system dark and light respectively), plus bg=transparent with a matching theme.
 * On each slide: WCAG AA contrast against what is behind the text, nothing outside the frame, no
 * overlapping labels, and after a click into the embed the right arrow still advances the deck.
 * One deck page per theme, walked slide by slide by that very key. Screenshots of every slide land
 * in test-results/screenshots/deck/.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FIGURE_IDS, FIGURES } from '../../src/view/figures';
import { launchChromium, openPage } from './support/browser';
import { deckHost } from './support/deck';
import { type FrameReport, inFrame } from './support/frame-checks';
import { attribute } from './support/host';
import { expectNoProblems } from './support/page';

const base = inject('baseUrl');
const SHOTS = 'test-results/screenshots/deck';
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(() => browser?.close());

/** The deck's size: the largest frame fits, and reveal.js draws it at scale 1 in a window this size. */
const DECK = { width: 1360, height: 800 }; // reveal.js caps an iframe at 95 % of the slide
const SIZES = [
  { width: 800, height: 500 },
  { width: 1280, height: 720 },
];

interface Slide {
  name: string;
  src: string;
  width: number;
  height: number;
}

function slidesFor(theme: 'black' | 'white'): Slide[] {
  const slides: Slide[] = [];
  for (const size of SIZES) {
    for (const large of [false, true]) {
      for (const id of FIGURE_IDS) {
        // what "Copy embed code" gives: the figure and the page's parameters, no theme
        const q = new URLSearchParams({ panel: id });
        if (large) q.set('large', '1');
        slides.push({ name: `${theme}-${size.width}x${size.height}${large ? '-large' : ''}-${id}`, src: `${base}?${q}`, ...size });
      }
    }
  }
  // a transparent frame, with the theme that fits the slide
  const q = new URLSearchParams({ panel: 'errors', bg: 'transparent', theme: theme === 'black' ? 'dark' : 'light' });
  slides.push({ name: `${theme}-800x500-transparent-errors`, src: `${base}?${q}`, width: 800, height: 500 });
  return slides;
}

const iframe = (s: Slide) =>
  `<iframe data-src="${attribute(s.src)}" width="${s.width}" height="${s.height}" style="border:0" title="${attribute(s.name)}" allow="fullscreen"></iframe>`;

/**
 * The frame of the slide shown now, once its embed has drawn its figure and fitted it; `settled`:
 * whether the embed then went quiet (false: it was still changing after 10 s).
 */
async function currentFrame(page: Page, index: number): Promise<{ frame: Frame; settled: boolean }> {
  const handle = await page.waitForSelector(`section[data-slide="${index}"].present iframe[src]`);
  const frame = (await handle.contentFrame())!;
  await frame.waitForSelector('[data-testid=status][data-value=done]', { timeout: 120_000 });
  await frame.waitForSelector('[data-panel] svg, [data-panel] canvas');
  await frame.waitForSelector('.embed[data-fit-state=steady]');
  // KaTeX and the lazy figure chunks: nothing left loading
  await frame.waitForFunction(() => !document.body.textContent?.includes('Loading the figure'));
  // Then quiet: 400 ms without a change to the embed's DOM or size, the fit steady (at most 10 s).
  // A figure that redraws late (its numbers' rest arriving) is refitted in the frame after. An
  // embed that never goes quiet is a failure of its own: the fit and a figure once chased each
  // other for ever, and a slide read at a random moment of that was out of its frame.
  const settled = await frame.evaluate(
    () =>
      new Promise<boolean>((done) => {
        const embed = document.querySelector<HTMLElement>('.embed')!;
        let timer: ReturnType<typeof setTimeout> | undefined;
        const finish = (quietNow: boolean) => {
          clearTimeout(timer);
          clearTimeout(cap);
          mutations.disconnect();
          sizes.disconnect();
          done(quietNow);
        };
        const check = () => (embed.dataset.fitState === 'steady' ? finish(true) : quiet());
        const quiet = () => {
          clearTimeout(timer);
          timer = setTimeout(check, 400);
        };
        const cap = setTimeout(() => finish(false), 10_000);
        const mutations = new MutationObserver(quiet);
        mutations.observe(embed, { subtree: true, childList: true, attributes: true, characterData: true });
        const sizes = new ResizeObserver(quiet);
        sizes.observe(embed.querySelector('.embed-content') ?? embed);
        quiet();
      }),
  );
  return { frame, settled };
}

async function walkDeck(theme: 'black' | 'white'): Promise<void> {
  const slides = slidesFor(theme);
  const deck = await deckHost({ theme, slides: slides.map(iframe), ...DECK });
  const { page, problems, close } = await openPage(browser, deck.url, {
    viewport: DECK,
    colorScheme: theme === 'black' ? 'dark' : 'light',
  });
  try {
    expect(new URL(deck.url).origin).not.toBe(new URL(base).origin);
    await page.waitForFunction(() => (window as unknown as { Reveal?: { isReady(): boolean } }).Reveal?.isReady());
    const slideBg = await page.evaluate(() => {
      const m = getComputedStyle(document.querySelector('.reveal-viewport') ?? document.body).backgroundColor.match(/\d+(\.\d+)?/g)!;
      return [Number(m[0]), Number(m[1]), Number(m[2])] as [number, number, number];
    });
    const failures: string[] = [];
    for (let i = 0; i < slides.length; i++) {
      const slide = slides[i];
      expect(await page.evaluate(() => (window as unknown as { Reveal: { getIndices(): { h: number } } }).Reveal.getIndices().h)).toBe(i);
      const { frame, settled } = await currentFrame(page, i);
      if (!settled) failures.push(`${slide.name}: still changing after 10 s (fit ${await frame.evaluate(() => document.querySelector<HTMLElement>('.embed')?.dataset.fitState)})`);
      const report: FrameReport = await frame.evaluate(inFrame, slideBg);
      expect([report.width, report.height], slide.name).toEqual([slide.width, slide.height]);
      expect(report.texts, slide.name).toBeGreaterThan(3);
      if (report.scrolls) failures.push(`${slide.name}: the embed scrolls`);
      for (const what of report.outside) failures.push(`${slide.name}: outside the frame: ${what}`);
      for (const what of report.lowContrast) failures.push(`${slide.name}: low contrast: ${what}`);
      for (const what of report.overlaps) failures.push(`${slide.name}: overlapping text: ${what}`);
      await page.screenshot({ path: `${SHOTS}/${slide.name}.png` });
      if (i === slides.length - 1) break;
      // the speaker clicks into the embed (on its title: nothing there acts on a click), then goes on by the keyboard
      await frame.locator('.panel-title').click();
      expect(await frame.evaluate(() => document.hasFocus())).toBe(true);
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction((next) => (window as unknown as { Reveal: { getIndices(): { h: number } } }).Reveal.getIndices().h === next, i + 1);
    }
    expect(failures, failures.join('\n')).toEqual([]);
    // reveal.js unloads the iframes of slides it leaves behind: their requests still in flight are
    // aborted by the deck, which is not the embed's problem (any other failure still counts)
    expectNoProblems(problems.filter((p) => !/^request: .* net::ERR_ABORTED$/.test(p)));
  } finally {
    await close();
    await deck.close();
  }
}

describe('every figure in a real reveal.js deck on another origin', () => {
  it('the black theme, the system dark: readable, inside its frame, and the right arrow goes on with the talk', () => walkDeck('black'), 900_000);
  it('the white theme, the system light: the same', () => walkDeck('white'), 900_000);
  it('covers every figure and both kinds (with and without time)', () => {
    expect(FIGURE_IDS.some((id) => FIGURES[id].hasTime) && FIGURE_IDS.some((id) => !FIGURES[id].hasTime)).toBe(true);
  });
});
