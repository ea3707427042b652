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
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}
