import { type RefObject, useLayoutEffect, useState } from 'react';
import { useFrameWidthHint } from '../../view/frame-width';
import type { FigureId } from '../../view/figures';
import { SIZE } from '../../view/theme';

/**
 * The width of an element, kept current as the layout changes (phone to projector). Without
 * ResizeObserver or layout (tests in jsdom) it stays at the fallback width.
 *
 * `hint`: the width the element will have, known before it exists (view/frame-width.ts). The first
 * render is then at that width and its ResizeObserver checks it after the browser's own layout.
 * Without a hint the element is measured in the commit that inserts it, which forces that layout
 * and draws the figure twice, once at the fallback width: for the race embed on a phone (4x
 * slowdown) one task of ~300 ms, of which ~100 ms forced layout and ~60 ms the second drawing.
 */
export function useWidth(ref: RefObject<HTMLElement | null>, fallback: number = SIZE.fallbackWidth, hint?: number): number {
  const [width, setWidth] = useState(hint ?? fallback);
  const hinted = hint !== undefined;
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const w = Math.floor(offScreenWidth(el) ?? borderBoxWidth(el));
      if (w > 0) setWidth(w);
    };
    const canObserve = typeof ResizeObserver !== 'undefined';
    if (!hinted || !canObserve) measure();
    if (!canObserve) return;
    // The new width is applied on the next frame, not inside the observer's callback: a figure that
    // re-renders to the new width changes the size of the boxes around it, and a size change while
    // the browser is still delivering this frame's observations makes Firefox report "ResizeObserver
    // loop completed with undelivered notifications" as a page error.
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(measure);
    });
    observer.observe(el);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
    };
  }, [ref, hinted]);
  return width;
}

/** The width of a figure's drawing area (a block filling its frame), hinted by the frame's placeholder. */
export function useFigureWidth(ref: RefObject<HTMLElement | null>, id: FigureId): number {
  return useWidth(ref, SIZE.fallbackWidth, useFrameWidthHint(id));
}

/**
 * The width of `el` in a figure whose contents the browser skips (off screen under the figure
 * frame's content-visibility: auto): its frame's content box, read without laying those contents
 * out; null when they are rendered (then `el` is measured itself). Measuring `el` there forced the
 * layout of the whole figure: mounting the figures below the fold cost a phone's main thread 465 ms
 * in one task, most of it that layout. When the figure comes near, its ResizeObserver measures it.
 */
function offScreenWidth(el: HTMLElement): number | null {
  if (typeof el.checkVisibility !== 'function' || el.checkVisibility({ contentVisibilityAuto: true })) return null;
  const frame = el.closest<HTMLElement>('.panel');
  if (!frame || frame === el) return null;
  return contentBoxWidth(frame);
}

/**
 * A box's widths in layout pixels, from its computed style: a transform on it or above it does not
 * change them (getBoundingClientRect's screen pixels do). In an embed scaled to its frame, screen
 * pixels made every figure draw narrower than its box; the narrower figure grew taller, the fit
 * scaled it again, and the two chased each other (?panel=data&large=1 at 800 x 500).
 */
function layoutWidths(el: HTMLElement): { content: number; border: number } {
  const style = getComputedStyle(el);
  const px = (v: string) => Number.parseFloat(v) || 0;
  const insets = px(style.paddingLeft) + px(style.paddingRight) + px(style.borderLeftWidth) + px(style.borderRightWidth);
  const width = Number.parseFloat(style.width);
  // 'auto': a box without a used width of its own (not rendered); the screen's is all there is
  if (!Number.isFinite(width)) {
    const border = el.getBoundingClientRect().width;
    return { content: border - insets, border };
  }
  return style.boxSizing === 'border-box' ? { content: width - insets, border: width } : { content: width, border: width + insets };
}

/** A box's content width: its width less its padding and border, in layout pixels. */
export function contentBoxWidth(el: HTMLElement): number {
  return layoutWidths(el).content;
}

/** A box's width with its padding and border, in layout pixels. */
function borderBoxWidth(el: HTMLElement): number {
  return layoutWidths(el).border;
}
