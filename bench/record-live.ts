/**
 * `npm run bench:record -- out.webm`: a screen recording of a live run, as a visitor sees it: the
 * default page in headless Chromium, Reset (the live run trains on the automatic backend), and
 * every frame the compositor puts on screen until the run is done (Chrome DevTools Protocol's
 * screencast), with its timestamp. Not the page's own WebM export (that replays a computed run):
 * this records the page while it trains. The frames are encoded to WebM (VP8/VP9) by Chromium
 * itself (a canvas fed with the frames at their own times, through MediaRecorder), so nothing but
 * the browser the tests use is needed.
 *
 * RECORD_COMPOSITING=software uses Chromium's software compositor (bench/frames.ts,
 * SOFTWARE_COMPOSITING); RECORD_DIST=dir reuses a build there. Prints the frame count, the frame
 * intervals (p50 / p95 / max) and the file's size.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { build, preview } from 'vite';
import { writePrecomputed } from '../src/cli/precompute';
import { launchChromium } from '../test/e2e/support/browser';
import { isMain, progress, round } from './common';
import { SOFTWARE_COMPOSITING } from './frames';

const log = progress('bench:record');

interface Frame {
  data: string;
  t: number;
}

/** Percentile of sorted numbers. */
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))];

export async function recordLive(base: string, out: string, { width = 1280, height = 900, software = false } = {}) {
  const browser = await launchChromium(software ? SOFTWARE_COMPOSITING : []);
  try {
    const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1, reducedMotion: 'no-preference' });
    const page = await context.newPage();
    await page.goto(base);
    await page.waitForFunction(() => document.querySelector('[data-panel=race] canvas')?.getAttribute('data-drawn-t') === '1500', null, { timeout: 60_000 });
    // the race in view, as a reader who scrolled to it
    await page.locator('[data-panel=race]').scrollIntoViewIfNeeded();
    await page.waitForTimeout(1000);
    const cdp = await context.newCDPSession(page);
    const frames: Frame[] = [];
    cdp.on('Page.screencastFrame', (f: { data: string; sessionId: number; metadata: { timestamp?: number } }) => {
      frames.push({ data: f.data, t: (f.metadata.timestamp ?? Date.now() / 1000) * 1000 });
      void cdp.send('Page.screencastFrameAck', { sessionId: f.sessionId }).catch(() => undefined);
    });
    await cdp.send('Page.startScreencast', { format: 'jpeg', quality: 80, maxWidth: width, maxHeight: height, everyNthFrame: 1 });
    log('Reset: the live run');
    await page.keyboard.press('r');
    await page.waitForFunction(() => document.querySelector('[data-testid=runs]')?.getAttribute('data-run-id') !== '0', null, { timeout: 30_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid=status]')?.getAttribute('data-value') === 'done', null, { timeout: 120_000 });
    await page.waitForTimeout(800);
    await cdp.send('Page.stopScreencast');
    await context.close();
    if (frames.length < 2) throw new Error(`the screencast gave ${frames.length} frames`);
    const gaps = frames
      .slice(1)
      .map((f, i) => f.t - frames[i].t)
      .sort((a, b) => a - b);
    log(`${frames.length} frames over ${round((frames.at(-1)!.t - frames[0].t) / 1000)} s; encoding`);
    const webm = await encodeWebm(browser, frames, width, height);
    writeFileSync(out, webm);
    return {
      out,
      bytes: webm.length,
      frames: frames.length,
      seconds: round((frames.at(-1)!.t - frames[0].t) / 1000),
      frameIntervalMs: { p50: round(pct(gaps, 0.5)), p95: round(pct(gaps, 0.95)), max: round(gaps.at(-1)!) },
      compositing: software ? 'software' : 'SwiftShader GL (the tests’ flags)',
    };
  } finally {
    await browser.close();
  }
}

/** The JPEG frames to a WebM at their own times: drawn on a canvas that MediaRecorder records. */
async function encodeWebm(browser: Awaited<ReturnType<typeof launchChromium>>, frames: Frame[], width: number, height: number): Promise<Buffer> {
  const page = await browser.newPage({ viewport: { width, height } });
  try {
    await page.setContent('<canvas></canvas>');
    const t0 = frames[0].t;
    const base64 = await page.evaluate(
      async ({ frames, width, height }) => {
        const canvas = document.querySelector('canvas')!;
        canvas.width = width;
        canvas.height = height;
        const ctx = canvas.getContext('2d')!;
        const images = await Promise.all(
          frames.map(async (f) => {
            const blob = await (await fetch(`data:image/jpeg;base64,${f.data}`)).blob();
            return { bitmap: await createImageBitmap(blob), at: f.at };
          }),
        );
        const type = ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'].find((t) => MediaRecorder.isTypeSupported(t))!;
        const recorder = new MediaRecorder(canvas.captureStream(60), { mimeType: type, videoBitsPerSecond: 4_000_000 });
        const chunks: Blob[] = [];
        recorder.ondataavailable = (e) => chunks.push(e.data);
        const stopped = new Promise((done) => (recorder.onstop = done));
        ctx.drawImage(images[0].bitmap, 0, 0);
        recorder.start();
        const start = performance.now();
        for (const image of images) {
          const wait = image.at - (performance.now() - start);
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          ctx.drawImage(image.bitmap, 0, 0);
        }
        await new Promise((r) => setTimeout(r, 300));
        recorder.stop();
        await stopped;
        const bytes = new Uint8Array(await new Blob(chunks, { type }).arrayBuffer());
        let s = '';
        for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        return btoa(s);
      },
      { frames: frames.map((f) => ({ data: f.data, at: f.t - t0 })), width, height },
    );
    return Buffer.from(base64, 'base64');
  } finally {
    await page.close();
  }
}

if (isMain(import.meta.url)) {
  const out = process.argv[2] ?? 'test-results/live-run.webm';
  const outDir = process.env.RECORD_DIST ?? '.bench/record-dist';
  if (!process.env.RECORD_DIST || !existsSync(`${outDir}/index.html`)) {
    log(`build into ${outDir}`);
    await writePrecomputed();
    process.env.NODE_ENV = 'production';
    await build({ logLevel: 'warn', mode: 'production', build: { outDir, emptyOutDir: true } });
  }
  const server = await preview({ build: { outDir }, preview: { port: 0, host: '127.0.0.1', open: false }, logLevel: 'warn' });
  try {
    const result = await recordLive(server.resolvedUrls!.local[0], out, { software: process.env.RECORD_COMPOSITING === 'software' });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await server.close();
  }
}
