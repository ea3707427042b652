/**
 * A real reveal.js deck (the dev dependency's dist/), served from another origin than the built
 * site, as a speaker would host their slides: one <section> per slide, each holding what `slides`
 * gives (an <iframe data-src=...>, lazy-loaded by reveal.js when its slide is shown).
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const REVEAL_DIST = join(process.cwd(), 'node_modules/reveal.js/dist');
const TYPES: Record<string, string> = { '.css': 'text/css', '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html; charset=utf-8' };

export interface DeckOptions {
  /** reveal.js theme: black (its default) or white. */
  theme: 'black' | 'white';
  /** The inner HTML of each slide. */
  slides: string[];
  /** The deck's logical size (reveal.js scales it to the window: give the page this viewport for scale 1). */
  width: number;
  height: number;
}

export function deckHtml({ theme, slides, width, height }: DeckOptions): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>A talk</title>
<link rel="stylesheet" href="/reveal/reveal.css"><link rel="stylesheet" href="/reveal/theme/${theme}.css">
</head><body><div class="reveal"><div class="slides">
${slides.map((s, i) => `<section data-slide="${i}">${s}</section>`).join('\n')}
</div></div>
<script src="/reveal/reveal.js"></script>
<script>Reveal.initialize({ hash: false, width: ${width}, height: ${height}, margin: 0, center: false, transition: 'slide', controls: false, progress: false });</script>
</body></html>`;
}

/** Serve the deck at / and reveal.js's dist/ at /reveal/, on a port of its own. */
export async function deckHost(options: DeckOptions): Promise<{ url: string; close: () => Promise<void> }> {
  const html = deckHtml(options);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/') {
      res.writeHead(200, { 'content-type': TYPES['.html'] });
      return res.end(html);
    }
    if (path === '/favicon.ico') {
      res.writeHead(204);
      return res.end();
    }
    const file = normalize(join(REVEAL_DIST, path.replace(/^\/reveal\//, '')));
    if (!path.startsWith('/reveal/') || !file.startsWith(REVEAL_DIST)) {
      res.writeHead(404);
      return res.end();
    }
    readFile(file).then(
      (body) => {
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
        res.end(body);
      },
      () => {
        res.writeHead(404);
        res.end();
      },
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
