import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { type Plugin, defineConfig } from 'vite';
import { texPrerender } from './build/tex-prerender';
import { FIGURES, FIGURE_IDS } from './src/view/figures';

/**
 * The built page's Content-Security-Policy: everything from the page's own origin, nothing from
 * anywhere else, no inline or eval'd script.
 * - script-src 'wasm-unsafe-eval': compiling the tfjs wasm backend's module (no JS eval).
 * - worker-src 'self': the engine, sweep and WebGL probe workers are module workers from our origin,
 *   and the service worker (sw.js, offline use) is a script from our origin too.
 *   A worker's own policy comes from its response, not from this meta tag; on a static host without
 *   headers the workers run unrestricted but can only reach what this page's code asks of them.
 * - img-src/media-src data: blob:: the export menu's PNG, SVG and WebM previews and downloads, the
 *   favicon (a data: URL in index.html).
 * - style-src 'unsafe-inline': KaTeX's HTML carries style="" attributes and is inserted as markup,
 *   and d3 writes style attributes on SVG; inline CSS cannot run script. Stylesheets still come
 *   from 'self' only.
 * - font-src data:: KaTeX's fonts are files in assets/, but a small one may be inlined as data:.
 * No frame-ancestors: a <meta> policy cannot carry it, and the page is meant to be embedded in
 * other sites' iframes (?panel=...). Only the build gets the tag: the dev server injects inline
 * scripts (React refresh, the HMR client) that this policy would block.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'content-security-policy',
    apply: 'build',
    transformIndexHtml(html) {
      // Right after the charset (which must come first): a meta policy covers only what follows it.
      const charset = '<meta charset="UTF-8" />';
      if (!html.includes(charset)) throw new Error(`index.html: no ${charset} to put the Content-Security-Policy after`);
      return html.replace(charset, `${charset}\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`);
    },
  };
}

/**
 * An embed's first paint, before any script: the title of the figure it shows (index.html's
 * <!-- embed title -->). boot.js marks the asked figure on <html>; one CSS rule per figure shows its
 * title; the embed removes it when it renders its own (ui/Embed.tsx). Written from the figure
 * registry, so the titles are the panels' own. Without it the first text painted came after the
 * app's script, and every request begun by then (the figure's data) counted towards the embed's LCP.
 */
function embedTitles(): Plugin {
  const escape = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return {
    name: 'embed-titles',
    transformIndexHtml(html) {
      const marker = '<!-- embed title -->';
      if (!html.includes(marker)) throw new Error(`index.html: no ${marker}`);
      const rules = FIGURE_IDS.map((id) => `html[data-boot-panel='${id}'] #boot-embed [data-boot-title='${id}']`).join(',\n      ');
      const titles = FIGURE_IDS.map((id) => `<h3 class="panel-title" data-boot-title="${id}">${escape(FIGURES[id].title)}</h3>`).join('');
      if (!html.includes('</head>')) throw new Error('index.html: no </head>');
      return html
        .replace('</head>', `  <style>\n      ${rules} { display: block; }\n    </style>\n  </head>`)
        .replace(marker, `<div id="boot-embed" class="boot-embed" aria-hidden="true">${titles}</div>`);
    },
  };
}

/** What the service worker does not precache: itself, source maps, and KaTeX's woff/ttf fonts (every browser that runs the page takes woff2). */
const NOT_PRECACHED = [/^sw\.js$/, /\.map$/, /\.(woff|ttf)$/];

/** Every file under `dir`, as paths relative to it with forward slashes, sorted. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(dir, path).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * The service worker (src/sw/service-worker.js): once the build has written everything (the bundle,
 * the workers, the wasm binaries, the public files), write sw.js beside index.html with the list of
 * files to precache and a version that is a hash of their contents. A hand-written worker of 60 lines
 * plus this list, rather than a library: the page needs precache-and-serve only, and this has no
 * dependency to keep in step with Vite 8 and rolldown.
 */
export function precacheList(outDir: string): { files: string[]; version: string } {
  const files = filesUnder(outDir).filter((f) => !NOT_PRECACHED.some((re) => re.test(f)));
  const hash = createHash('sha256');
  for (const f of files) hash.update(f).update('\0').update(readFileSync(join(outDir, f))).update('\0');
  return { files, version: hash.digest('hex').slice(0, 16) };
}

function serviceWorker(): Plugin {
  let outDir = '';
  return {
    name: 'service-worker',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const { files, version } = precacheList(outDir);
      const source = readFileSync(new URL('./src/sw/service-worker.js', import.meta.url), 'utf8');
      if (!source.includes('__PRECACHE__') || !source.includes('__VERSION__')) throw new Error('src/sw/service-worker.js: no __PRECACHE__ or __VERSION__ to fill in');
      writeFileSync(join(outDir, 'sw.js'), source.replace('__PRECACHE__', JSON.stringify(files)).replace('__VERSION__', version));
    },
  };
}

export default defineConfig({
  plugins: [react(), contentSecurityPolicy(), embedTitles(), texPrerender(fileURLToPath(new URL('./src/', import.meta.url))), serviceWorker()],
  // Relative asset URLs by default: the built page works from any sub-path of a static host.
  // BASE=/repo/ pins an absolute sub-path instead (GitHub Pages).
  base: process.env.BASE ?? './',
  define: {
    // Whether `npm run precompute` has written the default run (public/precomputed/): without it the
    // page trains live at once instead of asking for files that are not there (a 404 in the console).
    'import.meta.env.VITE_PRECOMPUTED': JSON.stringify(existsSync(new URL('./public/precomputed/default.json', import.meta.url))),
  },
  worker: {
    format: 'es',
    rolldownOptions: { output: { comments: { legal: false } } },
  },
  build: {
    target: 'es2022',
    rolldownOptions: { output: { comments: { legal: false } } },
  },
  optimizeDeps: {
    include: [
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-backend-cpu',
      '@tensorflow/tfjs-backend-wasm',
      '@tensorflow/tfjs-backend-webgl',
      'd3-random',
    ],
  },
});
