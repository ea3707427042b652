/*
 * The service worker: the page, every embed and present mode, offline after one visit.
 *
 * The build (vite.config.ts, plugin "service-worker") writes this file to the site's root as sw.js,
 * with the precache placeholder below replaced by every file of the build the page can ask for (code, workers, wasm
 * binaries, KaTeX's woff2 fonts, the precomputed runs, the manifest and icon) and the version by a
 * hash of their contents. A new deployment has another version, so the browser installs the new
 * worker into a cache of its own beside the old one; the page says a newer version is ready, and
 * on "Reload" the new worker takes over and deletes the old cache.
 *
 * Cache first for precached files (a navigation to the page, any query: index.html); everything
 * else goes to the network untouched and nothing is stored. Requests to other origins are never
 * handled (and the page makes none).
 */
const VERSION = '__VERSION__';
const PRECACHE = __PRECACHE__;
const PREFIX = 'momentum-explainer-';
const CACHE = PREFIX + VERSION;
const SCOPE = new URL(self.registration.scope);
const url = (path) => new URL(path, SCOPE).href;
const PRECACHED = new Set(PRECACHE.map(url));
const INDEX = url('index.html');

self.addEventListener('install', (event) => {
  // cache: 'reload': the files themselves, not what the HTTP cache kept of an older deployment
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE.map((path) => new Request(url(path), { cache: 'reload' })))));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key.startsWith(PREFIX) && key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

// The page's "Reload" on "A newer version is ready".
self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const target = new URL(request.url);
  if (target.origin !== SCOPE.origin) return;
  const page = request.mode === 'navigate' && (target.pathname === SCOPE.pathname || target.href.split('?')[0] === INDEX);
  const key = page ? INDEX : target.href.split('#')[0];
  if (!page && !PRECACHED.has(key)) return;
  event.respondWith(
    (async () => {
      const cached = await caches.match(key, { cacheName: CACHE });
      return cached ?? fetch(request);
    })(),
  );
});
