/**
 * Presenter controls, for a talk: keys that work on the page and inside an embed (also in an
 * <iframe> on another site: the listener is on this document's window, which gets the keys once
 * the frame has focus), and large text for projectors.
 *
 *   space        play / pause (the player's button)
 *   → / ←        next / previous story scene on the page; a step forward / back in an embed
 *   r            train again from step 0
 *   f            fullscreen on and off (the page, or the embedded figure)
 *
 * In an embed inside a reveal.js deck (deck-bridge.ts), every other key the deck binds goes to the
 * deck, and so do → / ← past the last / before the first step, and space and the arrows for a figure
 * without time (the data, the map): the speaker never has to click out of the frame.
 */
import { type RefObject, useEffect, useSyncExternalStore } from 'react';
import { SCENE_IDS } from '../sim/story';
import { training } from '../state/controller';
import { latestStep, scrubTo, usePlayback } from '../state/playback';
import { shownStepNow } from '../state/selectors';
import { useTraining } from '../state/training';
import { togglePlay } from './play-action';
import './presenter.css';
import { showScene } from './Story';
import { deckMethodFor, tellDeck } from './deck-bridge';

/** Keys typed into a field belong to the field. */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if (target.closest('input, select, textarea, [contenteditable=""], [contenteditable="true"]')) return true;
  return false;
}

/** The scene before or after the current one (the first one when none is shown yet). */
export function moveScene(by: 1 | -1): void {
  const scene = usePlayback.getState().scene;
  const index = scene === null ? -1 : SCENE_IDS.indexOf(scene);
  const next = scene === null ? 0 : Math.max(0, Math.min(SCENE_IDS.length - 1, index + by));
  if (next !== index) showScene(SCENE_IDS[next]);
}

/**
 * Move the shown step by one stride: the log interval or 5 % of T, whichever is larger. False when
 * there is no step that way (at the last step going forward, at step 0 going back).
 */
export function stepShown(by: 1 | -1): boolean {
  const config = useTraining.getState().config;
  if (!config) return false;
  const stride = Math.max(config.logEvery, Math.round(config.T / 20), 1);
  const latest = latestStep();
  const shown = shownStepNow();
  const next = Math.max(0, Math.min(latest, shown + by * stride));
  if (Math.round(next) === Math.round(shown)) return false;
  scrubTo(next);
  return true;
}

/** Fullscreen on or off for `element` (default: the whole page); browsers that refuse are left as they are. */
export function toggleFullscreen(element: Element = document.documentElement): void {
  if (document.fullscreenElement) void document.exitFullscreen?.().catch(() => {});
  else void element.requestFullscreen?.().catch(() => {});
}

export type PresenterMode = 'page' | 'embed';

/** Hand a key to the hosting deck (embeds only); false when there is none or it does not bind the key. */
function toDeck(e: KeyboardEvent): boolean {
  const m = deckMethodFor(e);
  return m !== null && tellDeck(m.method, m.args);
}

/**
 * The presenter keys for this document, while the component lives. `hasTime`: whether the embedded
 * figure changes with time (space and the arrows mean nothing to one that does not).
 */
export function usePresenterKeys(mode: PresenterMode, fullscreenTarget?: RefObject<Element | null>, hasTime = true): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      // On a button or link, space and Enter are the control's own.
      const onControl = e.target instanceof Element && e.target.closest('button, a[href], summary') !== null;
      const embed = mode === 'embed';
      switch (e.key) {
        case ' ':
          if (onControl) return;
          if (embed && !hasTime) {
            if (!toDeck(e)) return;
            break;
          }
          togglePlay();
          break;
        case 'ArrowRight':
        case 'ArrowLeft': {
          const by = e.key === 'ArrowRight' ? 1 : -1;
          if (!embed) moveScene(by);
          else if (!hasTime || !stepShown(by)) {
            if (!toDeck(e)) return;
          }
          break;
        }
        case 'r':
        case 'R':
          training.reset();
          break;
        case 'f':
        case 'F':
          toggleFullscreen(fullscreenTarget?.current ?? document.documentElement);
          break;
        default:
          if (!embed || onControl && e.key === 'Enter') return;
          if (!toDeck(e)) return;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [mode, fullscreenTarget, hasTime]);
}

/* Large text: a flag on <html> that the style sheet scales everything by. */

const largeListeners = new Set<() => void>();

export function isLarge(): boolean {
  return typeof document !== 'undefined' && document.documentElement.dataset.large !== undefined;
}

/** Large text on or off; the URL keeps it (`large=1`) so a shared link or embed opens the same way. */
export function setLarge(on: boolean): void {
  if (on) document.documentElement.dataset.large = '';
  else delete document.documentElement.dataset.large;
  const url = new URL(location.href);
  if (on) url.searchParams.set('large', '1');
  else url.searchParams.delete('large');
  history.replaceState(history.state, '', url);
  for (const listener of largeListeners) listener();
}

function subscribeLarge(listener: () => void): () => void {
  largeListeners.add(listener);
  return () => largeListeners.delete(listener);
}

/** A toggle for large text, for projectors. */
export function LargeTextToggle() {
  const large = useSyncExternalStore(subscribeLarge, isLarge, () => false);
  return (
    <button type="button" className="large-toggle" aria-pressed={large} onClick={() => setLarge(!large)} title="Larger text, for projectors">
      Large text
    </button>
  );
}
