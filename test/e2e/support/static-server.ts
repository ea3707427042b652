/**
 * A small static file server for the built site, for browsers that have no way to run a script in
 * the page before its own (WebKitWebDriver speaks classic WebDriver only) and for Lighthouse (which
 * must see the site served with compression, as real hosts serve it; `vite preview` does not
 * compress).
 *
 * - `gzip`: text responses (html, js, css, json, svg, wasm, the float32 rows) are gzip-compressed
 *   when the client accepts it (once per file, kept in memory).
 * - `probe`: index.html gets `<script src="__probe.js">` before its own scripts; the probe records
 *   console errors, uncaught errors and rejections, resources that fail to load and CSP violations
 *   in `window.__problems` (what playwright's console/pageerror events give for Chromium).
 * - every request is recorded, and every response with status >= 400 is a problem (`failures`).
 *
 * As a program (`tsx test/e2e/support/static-server.ts DIR [--gzip]`) it serves DIR on a free port
 * and prints its URL on stdout: the benchmark runs Lighthouse against it from another process.
 */
import { readFileSync, statSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.bin': 'application/octet-stream',
  '.webmanifest': 'application/manifest+json',
};
/** Already compressed formats: gzip would only cost time. */
const INCOMPRESSIBLE = new Set(['.png', '.woff2', '.woff', '.ico']);

/** Records what goes wrong in the page; served as __probe.js, runs before the page's own scripts. */
export const PROBE = `(() => {
  const P = (window.__problems = []);
  const text = (x) => (x && x.message) || String(x);
  const error = console.error;
  console.error = function (...args) { P.push('console: ' + args.map(text).join(' ')); return error.apply(this, args); };
  window.addEventListener('error', (e) => {
    const t = e.target;
    if (t && t !== window && (t.src || t.href)) P.push('resource: ' + (t.src || t.href));
    else P.push('page: ' + (e.message || text(e.error)));
  }, true);
  window.addEventListener('unhandledrejection', (e) => P.push('rejection: ' + text(e.reason)));
  document.addEventListener('securitypolicyviolation', (e) => P.push('csp: ' + e.violatedDirective + ' ' + e.blockedURI));
})();
`;

export interface StaticServer {
  url: string;
  /** Every path requested, in order. */
  requests: string[];
  /** Requests answered with an error status. */
  failures: string[];
  close: () => Promise<void>;
}

export interface StaticOptions {
  gzip?: boolean;
  probe?: boolean;
  port?: number;
}

export async function serveStatic(dir: string, { gzip = false, probe = false, port = 0 }: StaticOptions = {}): Promise<StaticServer> {
  const root = resolve(dir);
  const requests: string[] = [];
  const failures: string[] = [];
  const packed = new Map<string, Buffer>();
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const fail = (status: number) => {
      failures.push(`${status} ${path}`);
      res.writeHead(status).end();
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(405);
    let body: Buffer;
    let type: string;
    if (probe && path.endsWith('/__probe.js')) {
      body = Buffer.from(PROBE);
      type = TYPES['.js'];
    } else {
      let file = normalize(join(root, path));
      if (!file.startsWith(root)) return fail(403);
      try {
        if (statSync(file).isDirectory()) file = join(file, 'index.html');
        body = readFileSync(file);
      } catch {
        return fail(404);
      }
      const ext = extname(file);
      type = TYPES[ext] ?? 'application/octet-stream';
      if (probe && ext === '.html') {
        // before the first script (and after the CSP meta tag, which allows 'self')
        const html = body.toString('utf8');
        const at = html.search(/<script[\s>]/);
        if (at >= 0) body = Buffer.from(`${html.slice(0, at)}<script src="__probe.js"></script>\n    ${html.slice(at)}`);
      }
      if (gzip && !INCOMPRESSIBLE.has(ext) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
        const key = `${file}|${probe}`;
        let z = packed.get(key);
        if (!z) packed.set(key, (z = gzipSync(body, { level: 9 })));
        res.setHeader('Content-Encoding', 'gzip');
        res.setHeader('Vary', 'Accept-Encoding');
        body = z;
      }
    }
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Length', body.length);
    res.setHeader('Cache-Control', 'no-cache');
    res.writeHead(200);
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    requests,
    failures,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: tsx test/e2e/support/static-server.ts DIR [--gzip] [--port N]\n');
    process.exit(2);
  }
  const portAt = process.argv.indexOf('--port');
  const s = await serveStatic(dir, { gzip: process.argv.includes('--gzip'), port: portAt > 0 ? Number(process.argv[portAt + 1]) : 0 });
  process.stdout.write(`${s.url}\n`);
}
