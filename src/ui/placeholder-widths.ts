import { contentBoxWidth } from '../panels/chart/useWidth';
import type { FigureId } from '../view/figures';
import type { FrameWidths } from '../view/frame-width';

/**
 * The content widths of the figures' placeholders (view/frame-width.ts), as ResizeObservers report
 * them after the browser's own layout. A figure asking before any report came (its numbers can
 * arrive before the placeholder's first observation: in 2 of 4 loads of the race embed) has its
 * placeholder measured then, while it is still in the document: a small box, laid out already.
 */
export class PlaceholderWidths implements FrameWidths {
  private readonly widths: Partial<Record<FigureId, number>> = {};
  private readonly boxes: Partial<Record<FigureId, HTMLElement>> = {};

  get(id: FigureId): number | undefined {
    const known = this.widths[id];
    if (known !== undefined) return known;
    const box = this.boxes[id];
    if (!box?.isConnected) return undefined;
    const width = Math.floor(contentBoxWidth(box));
    if (!(width > 0)) return undefined;
    this.widths[id] = width;
    return width;
  }

  /** Follow `box`'s content width for figure `id` until the returned function is called. */
  observe(id: FigureId, box: HTMLElement): () => void {
    this.boxes[id] = box;
    const forget = () => {
      if (this.boxes[id] === box) delete this.boxes[id];
    };
    if (typeof ResizeObserver === 'undefined') return forget;
    const observer = new ResizeObserver(([entry]) => {
      const width = entry.contentBoxSize?.[0]?.inlineSize ?? entry.contentRect.width;
      if (width > 0) this.widths[id] = Math.floor(width);
    });
    observer.observe(box);
    return () => {
      observer.disconnect();
      forget();
    };
  }
}
