import { type RefObject, useLayoutEffect, useState } from 'react';
import { SIZE } from '../../view/theme';

/**
 * The width of an element, kept current as the layout changes (phone to projector). Without
 * ResizeObserver or layout (tests in jsdom) it stays at the fallback width.
 */
export function useWidth(ref: RefObject<HTMLElement | null>, fallback: number = SIZE.fallbackWidth): number {
  const [width, setWidth] = useState(fallback);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const w = Math.floor(el.getBoundingClientRect().width);
      if (w > 0) setWidth(w);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
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
  }, [ref]);
  return width;
}
