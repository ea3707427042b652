import { type RefObject, useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react';
import { type NumericParamSpec, paramSpec } from '../sim/params';
import { connectTraining } from '../state/controller';
import { connectSweep } from '../state/sweep-controller';
import { pauseReplay, replay, usePlayback } from '../state/playback';
import { useTraining } from '../state/training';
import type { EmbedParams } from './embed-params';
import { FIGURE_IDS, FIGURES } from '../view/figures';
import { deckState, inFrame, subscribeDeck } from './deck-bridge';
import './embed.css';
import { Figures } from './Figures';
import { NumericControl } from './ParamControls';
import { playAction } from './play-action';
import { LargeTextToggle, usePresenterKeys } from './presenter';
import { UrlNotes } from './UrlNotes';
import { sceneWindowNow, useLatestStep, useShownStep } from '../state/selectors';

/** Where an autoplayed replay goes: the scene's window when the link names a scene, else the whole run. */
function replayWindow(): { from: number; to: number | null } {
  const win = sceneWindowNow();
  return win && win.to > win.from ? { from: win.from, to: win.to } : { from: 0, to: null };
}

/** Pause between the end of a looped replay and the next. */
const LOOP_PAUSE_MS = 1200;

/** How long a frame waits for a reveal.js deck to say whether its slide is shown, before looking for itself. */
const DECK_GRACE_MS = 1500;

/**
 * Whether the embed is on screen for its audience, and how many times it has come on screen. At the
 * top level: always. In a reveal.js deck: between `slide:start` and `slide:stop` (a slide preloaded
 * off-screen is not shown). In any other frame: once it intersects the viewport, after a short wait
 * for a deck's first word.
 */
function useShownToAudience(): { shown: boolean; starts: number } {
  const deck = useSyncExternalStore(subscribeDeck, deckState, deckState);
  const [visible, setVisible] = useState(!inFrame());
  useEffect(() => {
    if (!inFrame()) return;
    let observer: IntersectionObserver | undefined;
    const timer = setTimeout(() => {
      if (typeof IntersectionObserver === 'undefined') return setVisible(true);
      observer = new IntersectionObserver((entries) => setVisible(entries.some((e) => e.isIntersecting)));
      observer.observe(document.documentElement);
    }, DECK_GRACE_MS);
    return () => {
      clearTimeout(timer);
      observer?.disconnect();
    };
  }, []);
  if (deck.reveal) return { shown: deck.shown === true, starts: deck.starts };
  return { shown: visible, starts: visible ? 1 : 0 };
}

/**
 * `autoplay`: once the run is computed and the embed is shown, replay it (or the scene's window)
 * once, and again each time a deck shows its slide; `loop`: again each time a replay reaches its end.
 * A replay the reader paused stays paused; leaving the slide pauses it.
 */
function useAutoplay(autoplay: boolean, loop: boolean): void {
  const status = useTraining((s) => s.status);
  const runId = useTraining((s) => s.runId);
  const replaying = usePlayback((s) => s.replaying);
  const { shown, starts } = useShownToAudience();
  const played = useRef<unknown>(null);
  const key = `${runId}|${starts}`;
  useEffect(() => {
    if (!autoplay || !shown || status !== 'done' || played.current === key) return;
    played.current = key;
    const { from, to } = replayWindow();
    replay(from, to);
  }, [autoplay, shown, status, key]);
  useEffect(() => {
    if (autoplay && !shown && usePlayback.getState().replaying) pauseReplay();
  }, [autoplay, shown]);
  useEffect(() => {
    if (!autoplay || !loop || !shown || replaying || status !== 'done' || played.current !== key) return;
    const { pinned } = usePlayback.getState();
    const { to } = replayWindow();
    // at the end: live again (whole run) or pinned at the window's end (scene)
    const atEnd = to === null ? pinned === null : pinned !== null && pinned >= to;
    if (!atEnd) return;
    const timer = setTimeout(() => {
      const next = replayWindow();
      replay(next.from, next.to);
    }, LOOP_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [autoplay, loop, shown, replaying, status, key]);
}

/** How long the content must be still (the charts redrawn at a new layout width) before the fit measures it. */
const SETTLE_MS = 250;
/** Wider layouts tried, as multiples of the frame's width, when the content is too tall for it. */
const WIDER = [1.35, 1.8, 2.5, 3.5];

/**
 * Fit the embed to its frame, whatever its size and text size: the content lays out at the frame's
 * width and, when it is taller than the frame, is scaled down as a whole (and centred), after one
 * try at a wider layout (charts of fixed height fit better wide). Nothing is clipped and nothing
 * scrolls; the scale is on the frame as `data-fit` (for tests).
 */
export function useFitToFrame(frame: RefObject<HTMLElement | null>, content: RefObject<HTMLElement | null>): void {
  useLayoutEffect(() => {
    const box = frame.current;
    const inner = content.current;
    if (!box || !inner) return;
    let layout = 0; // the content's layout width, in its own (unscaled) pixels
    // 'search': trying layout widths; 'settling': back at the best one; 'steady': refit only on a
    // real change; 'checking': steady, but the content changed a lot: look again once it is still.
    // (`data-fit-state` shows 'measuring' for 'checking' and for a steady fit waiting for its frame.)
    let mode: 'search' | 'settling' | 'steady' | 'checking' = 'search';
    let candidates: number[] | null = null;
    let results: { layout: number; scale: number }[] = [];
    let baseline = 0;
    let frameSize = '';
    let raf = 0;
    let settle: ReturnType<typeof setTimeout> | undefined;
    const frameMeasure = () => {
      if (!raf) raf = requestAnimationFrame(measure);
    };
    // Measure once the content has been still for SETTLE_MS: after a new layout width the charts
    // redraw at it on their own (their resize observers, then React), and every size change on the
    // way restarts the wait. Measured as soon as the width changed, the content still had the old
    // width's charts: the fit took that height as its baseline, the redraw then looked like new
    // content, and the search began again, for ever (?panel=data&large=1 at 800 x 500 swung between
    // two widths every 70 ms).
    const whenStill = () => {
      clearTimeout(settle);
      settle = setTimeout(frameMeasure, SETTLE_MS);
    };
    const relayout = (width: number) => {
      layout = width;
      inner.style.width = `${layout}px`;
      whenStill();
    };
    const search = (W: number) => {
      mode = 'search';
      candidates = null;
      results = [];
      box.dataset.fitState = 'search';
      relayout(W);
    };
    const measure = () => {
      raf = 0;
      const W = box.clientWidth;
      const H = box.clientHeight;
      if (W === 0 || H === 0) return;
      const size = `${W}x${H}`;
      // A portrait frame (a phone opening the embed's link): the figure at the frame's width and
      // natural size, scrolling if taller. Fitting it by scale made the text unreadably small and,
      // searching wider layouts as the data came, shifted the whole figure (Lighthouse mobile:
      // CLS 0.5-0.8 on ?panel=race, legible text 51 %). Slides (landscape) are fitted as before.
      if (H > W) {
        frameSize = size;
        mode = 'steady';
        box.dataset.portrait = '';
        inner.style.width = `${W}px`;
        inner.style.transform = '';
        inner.style.left = '0px';
        inner.style.top = '0px';
        box.dataset.fit = '1.000';
        box.dataset.fitState = 'steady';
        return;
      }
      delete box.dataset.portrait;
      if (size !== frameSize) {
        frameSize = size;
        search(W);
        return;
      }
      // scrollHeight: content that overflows the box (a last margin, a tall drawing) counts too
      const natural = Math.max(inner.offsetHeight, inner.scrollHeight);
      const scale = Math.min(1, W / layout, H / Math.max(1, natural));
      // always fit, also while searching
      inner.style.transform = scale < 1 ? `scale(${scale})` : '';
      inner.style.left = `${Math.max(0, (W - layout * scale) / 2)}px`;
      inner.style.top = `${Math.max(0, (H - natural * scale) / 2)}px`;
      box.dataset.fit = scale.toFixed(3);
      const changed = Math.abs(natural - baseline) > 0.15 * baseline;
      if (mode === 'search') {
        results.push({ layout, scale });
        // too tall at the frame's width: try wider layouts, as wide as the scale leaves room for
        candidates ??= scale < 0.98 ? WIDER.map((f) => Math.floor(W * f)).filter((w) => w < W / scale) : [];
        const next = candidates.shift();
        if (next !== undefined) return relayout(next);
        const best = results.reduce((a, r) => (r.scale > a.scale + 0.005 ? r : a));
        if (best.layout !== layout) {
          mode = 'settling';
          return relayout(best.layout);
        }
      } else if (mode === 'steady') {
        // the content itself changed (the data came, a chart redrew taller): look again once it is still
        if (changed) {
          mode = 'checking';
          return whenStill();
        }
        box.dataset.fitState = 'steady';
        return;
      } else if (mode === 'checking' && changed) return search(W);
      mode = 'steady';
      baseline = natural;
      box.dataset.fitState = 'steady';
    };
    function schedule() {
      // Searching, settling or checking: wait until the content is still.
      if (mode !== 'steady') return whenStill();
      // A fit waiting for its frame is not steady: a reader of `data-fit-state` (a test, a deck
      // screenshot) would otherwise see the last fit's scale on content that has since grown.
      box!.dataset.fitState = 'measuring';
      frameMeasure();
    }
    const observer = new ResizeObserver(schedule);
    observer.observe(box);
    observer.observe(inner);
    frameMeasure();
    return () => {
      observer.disconnect();
      cancelAnimationFrame(raf);
      clearTimeout(settle);
    };
  }, [frame, content]);
}

/**
 * A slider dragged with the pointer gives the focus back, so that the arrow keys and space go on
 * moving the talk (a slider reached with Tab keeps its keys).
 */
function useReleaseSliders(root: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const el = root.current;
    if (!el) return;
    const release = (e: PointerEvent) => {
      const target = e.target;
      if (target instanceof HTMLInputElement && target.type === 'range') setTimeout(() => target.blur(), 0);
    };
    el.addEventListener('pointerup', release);
    return () => el.removeEventListener('pointerup', release);
  }, [root]);
}

/** The embed's compact bar: play/pause, the shown step, the sliders the link asked for. */
function EmbedBar({ params, hasTime }: { params: EmbedParams; hasTime: boolean }) {
  const status = useTraining((s) => s.status);
  const pinned = usePlayback((s) => s.pinned);
  const replaying = usePlayback((s) => s.replaying);
  const latest = useLatestStep();
  const shown = Math.round(useShownStep());
  const play = playAction(status, pinned, replaying, latest);
  return (
    <div className="embed-bar" role="group" aria-label="Controls">
      {hasTime && (
        <button type="button" onClick={play.act} disabled={play.disabled}>
          {play.label}
        </button>
      )}
      <span className="embed-step">
        {hasTime && (
          <span data-testid="shown-t" data-value={shown}>
            t = {shown}
          </span>
        )}{' '}
        <span data-testid="status" data-value={status} className="visually-hidden">
          {status}
        </span>
      </span>
      {params.controls.length > 0 && (
        <form className="embed-controls" onSubmit={(e) => e.preventDefault()} aria-label="Parameters">
          {params.controls.map((key) => (
            <NumericControl key={key} spec={paramSpec(key) as NumericParamSpec} />
          ))}
        </form>
      )}
      <LargeTextToggle />
      {params.notes.length > 0 && (
        <p className="note embed-notes" role="status">
          {params.notes.join('; ')}
        </p>
      )}
    </div>
  );
}

/** A link to the whole page, from inside the embed. */
function fullPageHref(): string {
  const url = new URL(location.href);
  for (const key of ['panel', 'controls', 'autoplay', 'loop']) url.searchParams.delete(key);
  return url.toString();
}

/** One figure alone, filling its frame: `?panel=race` (see embed-params.ts for every key). */
export function Embed({ params }: { params: EmbedParams }) {
  const root = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const hasTime = params.panel !== null && FIGURES[params.panel].hasTime;
  const valid = params.panel !== null;
  const seeds = params.panel !== null && FIGURES[params.panel].seeds;
  // An autoplaying embed replays at once: it needs every row's per-example parts from the start.
  useEffect(() => (valid ? connectTraining({ eagerDetail: params.autoplay, seeds }) : undefined), [valid, params.autoplay, seeds]);
  // Only the figures of the map need it (its sweep is the heaviest work this page can do).
  useEffect(() => (params.panel && FIGURES[params.panel].data === 'map' ? connectSweep() : undefined), [params.panel]);
  useAutoplay(params.autoplay, params.loop);
  usePresenterKeys('embed', root, hasTime);
  useFitToFrame(root, content);
  useReleaseSliders(root);
  const runId = useTraining((s) => s.runId);
  const error = useTraining((s) => s.error);
  // index.html's static title of this figure, the first paint: gone in the frame this one paints.
  useLayoutEffect(() => document.getElementById('boot-embed')?.remove(), []);

  if (params.panel === null) {
    return (
      <div className="embed embed-unknown" role="alert">
        <p>
          <strong>No figure called “{params.asked}”.</strong> This embed can show one of: {FIGURE_IDS.join(', ')} (for example{' '}
          <code>?panel=race</code>).
        </p>
        <p>
          <a href={fullPageHref()} target="_top">
            Open the whole page
          </a>
        </p>
      </div>
    );
  }
  return (
    <div ref={root} className="embed" data-embed-panel={params.panel} data-testid="runs" data-run-id={runId ?? ''}>
      <div ref={content} className="embed-content">
        <UrlNotes />
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="embed-figure">
          <Figures only={[params.panel]} />
        </div>
        <EmbedBar params={params} hasTime={hasTime} />
      </div>
    </div>
  );
}
