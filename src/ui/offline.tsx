/**
 * Offline use: the service worker (src/sw/service-worker.js, written by the build as sw.js) is
 * registered by the page, every embed and present mode, so one visit to any of them makes all of
 * them work with the network off. When a new deployment's worker has installed, the page (not an
 * embed: a banner has no place on a slide) says that a newer version is ready, with a button that
 * hands over to it and reloads.
 */
import { useSyncExternalStore } from 'react';

let waiting: ServiceWorker | null = null;
const listeners = new Set<() => void>();

function setWaiting(worker: ServiceWorker | null): void {
  waiting = worker;
  for (const listener of listeners) listener();
}

/**
 * The worker registers this long after the load event, then at an idle moment: installing it
 * precaches ~4 MB, and Chromium compiles every script it caches. In Lighthouse traces of the first
 * view (2 cores) that was ~500 ms of the service worker's thread and ~300 ms of the browser's main
 * thread while the page drew, and the page's blocking time fell from 480-870 ms to 190-475 ms
 * without it.
 */
const REGISTER_AFTER_LOAD_MS = 4000;
const REGISTER_IDLE_TIMEOUT_MS = 4000;

/** Register sw.js (production builds only: the dev server serves modules one by one). */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  const sw = navigator.serviceWorker;
  let reloading = false;
  sw.addEventListener('controllerchange', () => {
    // only after "Reload": the first install claims the page too, and that needs no reload
    if (waiting && !reloading) {
      reloading = true;
      location.reload();
    }
  });
  const register = () =>
    sw.register('./sw.js').then(
      (registration) => {
        // a newer worker installed on an earlier visit, waiting for this page to let it take over
        if (registration.waiting && sw.controller) setWaiting(registration.waiting);
        registration.addEventListener('updatefound', () => {
          const next = registration.installing;
          next?.addEventListener('statechange', () => {
            if (next.state === 'installed' && sw.controller) setWaiting(next);
          });
        });
      },
      () => {
        // no service worker (private mode, a browser that refuses): the page works online as before
      },
    );
  const later = () =>
    setTimeout(() => {
      if (typeof requestIdleCallback === 'function') requestIdleCallback(() => void register(), { timeout: REGISTER_IDLE_TIMEOUT_MS });
      else void register();
    }, REGISTER_AFTER_LOAD_MS);
  if (document.readyState === 'complete') later();
  else window.addEventListener('load', later, { once: true });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** "A newer version is ready", while there is one. */
export function UpdateNotice() {
  const next = useSyncExternalStore(subscribe, () => waiting, () => null);
  if (!next) return null;
  return (
    <p className="update-notice" role="status">
      A newer version of this page is ready.{' '}
      <button type="button" onClick={() => next.postMessage('skip-waiting')}>
        Reload
      </button>
    </p>
  );
}
