/**
 * Resolves once the page's first contentful paint is on screen (the static title and lede of
 * index.html, or an embed's static figure title): the app's first render and its first requests
 * wait for it.
 *
 * Why: in Lighthouse traces of the built page (headless Chromium, 2 cores), the static text was
 * painted and committed at ~200 ms, but in about one load of three its frame reached the screen
 * only at 1.2-1.3 s, with the main thread idle for much of the wait. Every request the app had
 * begun by then (chunks, the first view's data, fonts) then counted towards the simulated LCP:
 * 2.9-3.2 s against 1.8 s when the paint came first. An embed lost its static title as LCP
 * altogether: the app had replaced it before its paint was reported. Waiting costs a frame or two
 * where the paint comes at once.
 *
 * The paint is known from the 'paint' performance entry, which is reported after the frame is
 * presented. Nothing waits where no static text is shown (present mode, an embed of an unknown
 * figure: the app paints first there) or where nothing paints (a background tab); where no entry
 * comes all the same (no paint timing, an iframe that is not displayed), after FALLBACK_MS.
 */
const FALLBACK_MS = 2000;

function whenFirstPaint(): Promise<void> {
  if (typeof document === 'undefined' || typeof PerformanceObserver === 'undefined' || import.meta.env.MODE === 'test') return Promise.resolve();
  if (document.visibilityState === 'hidden' || !PerformanceObserver.supportedEntryTypes?.includes('paint')) return Promise.resolve();
  if (!staticTextShown()) return Promise.resolve();
  // `buffered`: a paint reported before this module ran is delivered too
  return new Promise((done) => {
    const observer = new PerformanceObserver((list) => {
      if (list.getEntriesByName('first-contentful-paint').length > 0) finish();
    });
    const timer = setTimeout(finish, FALLBACK_MS);
    function finish() {
      observer.disconnect();
      clearTimeout(timer);
      done();
    }
    observer.observe({ type: 'paint', buffered: true });
  });
}

/** Whether index.html's static text is shown: the page's header, or the embed title boot.js chose. */
function staticTextShown(): boolean {
  const texts = [document.getElementById('page-header'), ...document.querySelectorAll('#boot-embed [data-boot-title]')];
  return texts.some((el) => el !== null && getComputedStyle(el).display !== 'none');
}

/** Evaluated as the app's modules load: before React's first render and the first view's fetch. */
export const firstPaint: Promise<void> = whenFirstPaint();
