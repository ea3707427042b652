/**
 * What a slide's audience sees of an embed, checked inside its frame: every piece of text has
 * WCAG AA contrast against what is really behind it (the embed's background, or the slide's
 * through a transparent one), nothing lies outside the frame or scrolls, no two labels overlap.
 * `inFrame` runs in the page (frame.evaluate): self-contained, no imports.
 */

export interface FrameReport {
  width: number;
  height: number;
  /** Text below AA: "text (colour on background, ratio < needed)". */
  lowContrast: string[];
  /** Elements (with their text) whose box leaves the frame. */
  outside: string[];
  /** Pairs of text boxes that overlap. */
  overlaps: string[];
  /** Whether the document scrolls in either direction. */
  scrolls: boolean;
  /** How many pieces of text were checked. */
  texts: number;
}

export function inFrame(slideBackground: [number, number, number]): FrameReport {
  type RGBA = [number, number, number, number];
  const parse = (c: string): RGBA | null => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top: RGBA, below: [number, number, number]): [number, number, number] =>
    [0, 1, 2].map((i) => top[i] * top[3] + below[i] * (1 - top[3])) as [number, number, number];
  const lum = ([r, g, b]: [number, number, number]) => {
    const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (a: [number, number, number], b: [number, number, number]) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  /** The colour behind an element: its ancestors' backgrounds, composited down to the slide's. */
  const backdrop = (el: Element): [number, number, number] => {
    const layers: RGBA[] = [];
    for (let e: Element | null = el; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg && bg[3] > 0) {
        layers.push(bg);
        if (bg[3] >= 1) break;
      }
    }
    let colour = slideBackground;
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour;
  };
  const opacity = (el: Element) => {
    let o = 1;
    for (let e: Element | null = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
    return o;
  };
  const fit = Number((document.querySelector('.embed') as HTMLElement | null)?.dataset.fit ?? 1);
  const W = innerWidth;
  const H = innerHeight;
  const report: FrameReport = { width: W, height: H, lowContrast: [], outside: [], overlaps: [], scrolls: false, texts: 0 };
  const root = document.documentElement;
  report.scrolls = root.scrollWidth > W || root.scrollHeight > H || document.body.scrollWidth > W || document.body.scrollHeight > H;

  const hidden = (el: Element) => {
    if (el.closest('.visually-hidden, [hidden], datalist, option, title, desc, style, script')) return true;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || s.display === 'none' || Number(s.fontSize.replace('px', '')) === 0) return true;
    return opacity(el) === 0;
  };
  // one box per piece of text: a KaTeX formula, an SVG <text>, or an HTML element's own text
  const boxes: { el: Element; rect: DOMRect; text: string }[] = [];
  const seen = new Set<Element>();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = (n.textContent ?? '').trim();
    if (!text || !n.parentElement) continue;
    let el: Element = n.parentElement;
    el = el.closest('.katex') ?? el.closest('text') ?? el;
    if (seen.has(el) || hidden(el)) continue;
    seen.add(el);
    let rect: DOMRect;
    if (el instanceof SVGElement || el.classList.contains('katex')) rect = el.getBoundingClientRect();
    else {
      const range = document.createRange();
      range.selectNodeContents(n);
      rect = range.getBoundingClientRect();
    }
    if (rect.width < 1 || rect.height < 1) continue;
    boxes.push({ el, rect, text: el.textContent!.trim().slice(0, 40) });
  }
  report.texts = boxes.length;
  for (const { el, rect, text } of boxes) {
    if (rect.left < -1 || rect.top < -1 || rect.right > W + 1 || rect.bottom > H + 1) {
      report.outside.push(`"${text}" at ${Math.round(rect.left)},${Math.round(rect.top)}–${Math.round(rect.right)},${Math.round(rect.bottom)}`);
    }
    const s = getComputedStyle(el);
    const raw = parse(el instanceof SVGElement ? s.fill : s.color);
    if (!raw) continue;
    let bg = backdrop(el);
    if (el instanceof SVGElement) {
      // SVG text on a filled shape (a map's cell): the shape is what is behind it
      const under = document.elementsFromPoint((rect.left + rect.right) / 2, (rect.top + rect.bottom) / 2);
      const shape = under.slice(under.indexOf(el) + 1).find((u) => u instanceof SVGRectElement && getComputedStyle(u).fill.startsWith('rgb'));
      if (shape) {
        const ss = getComputedStyle(shape);
        const fill = parse(ss.fill)!;
        bg = over([fill[0], fill[1], fill[2], fill[3] * Number(ss.fillOpacity) * opacity(shape)], bg);
      }
    }
    const fg = over([raw[0], raw[1], raw[2], raw[3] * opacity(el)], bg);
    const px = Number(s.fontSize.replace('px', '')) * fit;
    const bold = Number(s.fontWeight) >= 700;
    const need = px >= 24 || (bold && px >= 18.66) ? 3 : 4.5;
    const r = ratio(fg, bg);
    if (r < need) report.lowContrast.push(`"${text}" (${fg.map(Math.round)} on ${bg.map(Math.round)}, ${r.toFixed(2)} < ${need})`);
  }
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i].rect;
      const b = boxes[j].rect;
      if (boxes[i].el.contains(boxes[j].el) || boxes[j].el.contains(boxes[i].el)) continue;
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      // more than a sliver: glyph boxes of neighbouring lines touch by a pixel or two
      if (w > 2 && h > 2 && w * h > 0.15 * Math.min(a.width * a.height, b.width * b.height)) {
        report.overlaps.push(`"${boxes[i].text}" / "${boxes[j].text}"`);
      }
    }
  }
  return report;
}
