import { type ReactNode, memo, startTransition, useEffect, useLayoutEffect, useRef, useState } from 'react';

interface FrozenProps {
  /** Changes whenever the figure would draw differently. */
  version: string;
  /** May skip drawing: off screen while the runs stream in. */
  skip: boolean;
  /** While streaming, redraw at most this often (ms); 0: at every new version. */
  cadenceMs: number;
  /** This instance's key into `drawnAt`. */
  clock: object;
  children: ReactNode;
}

/** When each figure last drew, by its OnScreen's clock object (outside React: read by the memo comparison). */
const drawnAt = new WeakMap<object, number>();

/** Whether a figure redrawn at most every `cadenceMs` may draw now (a fifth early: flushes jitter). */
function due(clock: object, cadenceMs: number): boolean {
  return cadenceMs <= 0 || performance.now() - (drawnAt.get(clock) ?? -Infinity) >= 0.8 * cadenceMs;
}

/**
 * Re-renders its children only when their version changed and skipping is not allowed. React
 * compares against the props of the last render, so a skipped figure catches up as soon as it may.
 */
const Frozen = memo(
  function Frozen({ children, clock }: FrozenProps) {
    drawnAt.set(clock, performance.now());
    return children;
  },
  (before, after) => after.skip || before.version === after.version || !due(after.clock, after.cadenceMs),
);

/**
 * While training streams in, a figure off screen keeps its last drawing and costs the main thread
 * nothing; once it scrolls into view, or training pauses or ends, it draws the current numbers.
 * `cadenceMs`: while streaming, an on-screen figure redraws at most this often (the slow-moving
 * time series need not redraw at every snapshot; the race does); the last numbers always draw.
 * Without IntersectionObserver (tests in jsdom) everything is always drawn.
 */
/**
 * A figure not yet near the screen mounts anyway this long after the page opened, in an idle moment
 * and not while a run streams in: mounting the five figures below the fold mid-run took ~800 ms of
 * the main thread in two seconds (each forces a layout of the whole page to measure its width),
 * the largest stall of a live run after Reset. One that comes near mounts at once, run or not.
 */
const MOUNT_ANYWAY_MS = 4000;

/**
 * The figures still waiting to mount anyway, mounted ONE per idle callback: all at once they made
 * one main-thread task of about 1 s on a phone (Lighthouse's 4x-slowed CPU), the largest share of
 * the page's blocking time; one by one, each is a task of its own.
 */
const waiting: (() => void)[] = [];
let draining = false;
function mountNext(): void {
  const next = waiting.shift();
  if (!next) {
    draining = false;
    return;
  }
  next();
  const later = () => mountNext();
  if (typeof requestIdleCallback === 'function') requestIdleCallback(later, { timeout: 2000 });
  else setTimeout(later, 0);
}
function mountAnyway(mount: () => void): () => void {
  waiting.push(mount);
  if (!draining) {
    draining = true;
    setTimeout(mountNext, 0);
  }
  return () => {
    const k = waiting.indexOf(mount);
    if (k >= 0) waiting.splice(k, 1);
  };
}

/**
 * `eager`: mount at once, without waiting to be seen near (an embed's one figure: it is the view).
 * `observeWaiting` (a stable function): given the box while the figure waits to mount, to follow its
 * content width until it returns (the box has a figure frame's insets, styles.css): the figure
 * starts at that width (view/frame-width.ts).
 */
export function OnScreen({
  version,
  streaming,
  cadenceMs = 0,
  eager = false,
  observeWaiting,
  figure,
  children,
}: {
  version: string;
  streaming: boolean;
  cadenceMs?: number;
  eager?: boolean;
  observeWaiting?: (box: HTMLElement) => () => void;
  /** The figure it holds, on the box as `data-figure` (its grid placement, styles.css: also while it waits). */
  figure?: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [visible, setVisible] = useState(true);
  const [clock] = useState(() => ({}));
  // A figure far below the fold mounts only once it comes near (its box is reserved in CSS).
  const [near, setNear] = useState(() => eager || typeof IntersectionObserver === 'undefined');
  const [waited, setWaited] = useState(false);
  // A layout effect: the box loses its insets in the commit that mounts the figure, and must be
  // unobserved in that commit too (a passive cleanup came after the next layout, whose observation
  // then recorded the box without insets, 26 px too wide, before a lazy figure's first render).
  useLayoutEffect(() => {
    const el = ref.current;
    if (near || !observeWaiting || !el) return;
    return observeWaiting(el);
  }, [near, observeWaiting]);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      ([entry]) => {
        setVisible(entry.isIntersecting);
        // A transition: React renders the new figure in slices that leave the main thread free in between.
        if (entry.isIntersecting) startTransition(() => setNear(true));
      },
      { rootMargin: '400px' },
    );
    observer.observe(el);
    const timer = setTimeout(() => setWaited(true), MOUNT_ANYWAY_MS);
    return () => {
      observer.disconnect();
      clearTimeout(timer);
    };
  }, []);
  // and once the page has been idle a while, whether it came near or not (exports, tests, a jump)
  useEffect(() => {
    if (near || !waited || streaming) return;
    return mountAnyway(() => startTransition(() => setNear(true)));
  }, [near, waited, streaming]);
  return (
    <div ref={ref} className={near ? 'on-screen' : 'on-screen on-screen-waiting'} data-figure={figure}>
      {near && (
        <Frozen version={version} skip={streaming && !visible} cadenceMs={streaming ? cadenceMs : 0} clock={clock}>
          {children}
        </Frozen>
      )}
    </div>
  );
}
