import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { type Plugin, defineConfig } from 'vite';
import { texPrerender } from './build/tex-prerender';

/**
 * The built page's Content-Security-Policy: everything from the page's own origin, nothing from
 * anywhere else, no inline or eval'd script.
 * - script-src 'wasm-unsafe-eval': compiling the tfjs wasm backend's module (no JS eval).
 * - worker-src 'self': the engine, sweep and WebGL probe workers are module workers from our origin.
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

export default defineConfig({
  plugins: [react(), contentSecurityPolicy(), texPrerender(fileURLToPath(new URL('./src/', import.meta.url)))],
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
