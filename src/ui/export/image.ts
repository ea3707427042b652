/**
 * A panel as shown, as one standalone SVG: its SVG layers with their computed styles inlined (the
 * page's CSS speaks in CSS variables, a file must not), its canvases as embedded PNG images and its
 * HTML text as SVG text, each where it sits on screen. Then the same SVG rasterized at 2x into a PNG.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

/** SVG properties worth carrying from computed style into the file. */
const SVG_PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linecap',
  'stroke-linejoin',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
  'visibility',
  'display',
  'paint-order',
];

/** Parts of a panel that are controls or hidden text, not the drawing. */
const SKIP = '.panel-tools, .katex-mathml, .sr-only, .visually-hidden, button, input, select, textarea';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A colour is transparent when its alpha is zero. */
function transparent(color: string): boolean {
  return color === 'transparent' || /rgba\(.*,\s*0\)$/.test(color) || /\/\s*0\)$/.test(color);
}

/** The background the panel shows: its own, else the nearest ancestor's, else white. */
function backgroundOf(el: Element): string {
  for (let e: Element | null = el; e; e = e.parentElement) {
    const bg = getComputedStyle(e).backgroundColor;
    if (bg && !transparent(bg)) return bg;
  }
  return '#ffffff';
}

function hidden(el: Element): boolean {
  const s = getComputedStyle(el);
  return s.display === 'none' || s.visibility === 'hidden' || Number(s.opacity) === 0;
}

/** A copy of an SVG element with the resolved style of every element written into it. */
function inlineSvg(svg: SVGSVGElement): SVGSVGElement {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const from = [svg, ...svg.querySelectorAll('*')];
  const to = [copy, ...copy.querySelectorAll('*')];
  from.forEach((el, i) => {
    const target = to[i];
    if (!target) return;
    const cs = getComputedStyle(el);
    const style = SVG_PROPS.map((p) => {
      const v = cs.getPropertyValue(p);
      return v ? `${p}:${v}` : '';
    })
      .filter(Boolean)
      .join(';');
    // Presentation attributes may name CSS variables (stroke="var(--gd)"): the inlined style replaces them.
    for (const p of SVG_PROPS) target.removeAttribute(p);
    target.removeAttribute('color');
    target.setAttribute('style', style);
    target.removeAttribute('class');
    // React's event props leave nothing in the DOM, but ids would collide between layers: drop them.
    if (target.id) target.removeAttribute('id');
  });
  // <title> tooltips are fine in a file; the root keeps only what a nested <svg> needs.
  copy.removeAttribute('role');
  copy.removeAttribute('aria-label');
  copy.removeAttribute('aria-hidden');
  return copy;
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

function boxIn(el: Element, origin: DOMRect): Box {
  const r = el.getBoundingClientRect();
  return { x: r.left - origin.left, y: r.top - origin.top, width: r.width, height: r.height };
}

/** The HTML text of one text node as SVG <text> elements: one per line, or per word where it wraps. */
function textOf(node: Text, origin: DOMRect): string {
  const parent = node.parentElement!;
  const text = node.data;
  if (!text.trim()) return '';
  const cs = getComputedStyle(parent);
  const style = [
    `fill:${cs.color}`,
    `font-family:${cs.fontFamily.replace(/"/g, "'")}`,
    `font-size:${cs.fontSize}`,
    `font-weight:${cs.fontWeight}`,
    `font-style:${cs.fontStyle}`,
  ].join(';');
  const fontSize = parseFloat(cs.fontSize) || 12;
  const range = document.createRange();
  const emit = (from: number, to: number): string => {
    // Leading and trailing spaces would be collapsed in SVG: measure the words only.
    let start = from;
    let end = to;
    while (start < end && /\s/.test(text[start])) start++;
    while (end > start && /\s/.test(text[end - 1])) end--;
    if (start >= end) return '';
    range.setStart(node, start);
    range.setEnd(node, end);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
    const s = text.slice(start, end);
    if (!rects.length || !s.trim()) return '';
    if (rects.length === 1) {
      const r = rects[0];
      // Baseline: the middle of the line box plus about a third of the font size.
      const y = r.top - origin.top + r.height / 2 + fontSize * 0.35;
      return `<text x="${(r.left - origin.left).toFixed(2)}" y="${y.toFixed(2)}" style="${esc(style)}">${esc(s)}</text>`;
    }
    // Wrapped: word by word.
    if (end - start <= 1) return '';
    const words: string[] = [];
    const re = /\S+\s*/g;
    const sub = text.slice(start, end);
    for (let m = re.exec(sub); m; m = re.exec(sub)) {
      const ws = start + m.index;
      const we = ws + m[0].trimEnd().length;
      range.setStart(node, ws);
      range.setEnd(node, we);
      const wr = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
      if (wr.length === 1) words.push(emit(ws, we));
    }
    return words.join('');
  };
  return emit(0, text.length);
}

export interface PanelSvg {
  /** The SVG file's text. */
  svg: string;
  /** Its size in CSS pixels (the panel's). */
  width: number;
  height: number;
}

/**
 * The panel as one standalone SVG, in document order: backgrounds and borders of the frame, HTML
 * text, each <svg> layer with inlined styles, each <canvas> as an embedded PNG.
 */
export function panelSvg(figure: Element): PanelSvg {
  const origin = figure.getBoundingClientRect();
  const fcs = getComputedStyle(figure);
  const width = origin.width;
  // The frame's tools (these buttons) are not part of the figure: end the drawing above them.
  const tools = figure.querySelector(':scope > .panel-tools');
  const toolsTop = tools ? tools.getBoundingClientRect().top - origin.top : Infinity;
  const height = Math.min(origin.height, toolsTop + (parseFloat(fcs.paddingBottom) || 0));
  const parts: string[] = [];
  parts.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="${backgroundOf(figure)}"/>`);
  const border = parseFloat(fcs.borderTopWidth);
  if (border > 0 && fcs.borderTopStyle !== 'none') {
    const radius = parseFloat(fcs.borderTopLeftRadius) || 0;
    parts.push(
      `<rect x="${border / 2}" y="${border / 2}" width="${width - border}" height="${height - border}" rx="${radius}" fill="none" stroke="${fcs.borderTopColor}" stroke-width="${border}"/>`,
    );
  }

  const walk = (el: Element) => {
    for (const child of el.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        parts.push(textOf(child as Text, origin));
        continue;
      }
      if (!(child instanceof Element) || child.matches(SKIP) || hidden(child)) continue;
      if (child instanceof SVGSVGElement) {
        const b = boxIn(child, origin);
        if (b.width <= 0 || b.height <= 0) continue;
        const copy = inlineSvg(child);
        copy.setAttribute('x', b.x.toFixed(2));
        copy.setAttribute('y', b.y.toFixed(2));
        copy.setAttribute('width', String(b.width));
        copy.setAttribute('height', String(b.height));
        if (!copy.getAttribute('viewBox') && child.width.baseVal.value > 0) {
          copy.setAttribute('viewBox', `0 0 ${child.width.baseVal.value} ${child.height.baseVal.value}`);
        }
        parts.push(new XMLSerializer().serializeToString(copy));
      } else if (child instanceof HTMLCanvasElement) {
        const b = boxIn(child, origin);
        if (b.width <= 0 || b.height <= 0 || child.width === 0 || child.height === 0) continue;
        let href: string;
        try {
          href = child.toDataURL('image/png');
        } catch {
          continue; // a tainted canvas cannot be read: leave it out
        }
        parts.push(`<image x="${b.x.toFixed(2)}" y="${b.y.toFixed(2)}" width="${b.width}" height="${b.height}" preserveAspectRatio="none" href="${href}"/>`);
      } else if (child instanceof HTMLElement) {
        const cs = getComputedStyle(child);
        const bg = cs.backgroundColor;
        if (bg && !transparent(bg) && child !== figure) {
          const b = boxIn(child, origin);
          parts.push(`<rect x="${b.x.toFixed(2)}" y="${b.y.toFixed(2)}" width="${b.width}" height="${b.height}" rx="${parseFloat(cs.borderTopLeftRadius) || 0}" fill="${bg}"/>`);
        }
        walk(child);
      }
    }
  };
  walk(figure);

  const svg =
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="${SVG_NS}" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    parts.join('') +
    `</svg>\n`;
  return { svg, width, height };
}

/** Load an SVG's text as an image (a data URL: no object URL to revoke, no cross-origin taint). */
export function svgImage(svg: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('the panel’s SVG could not be drawn'));
    img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg);
  });
}

/** Draw a panel SVG onto a 2D context at `scale` (the context is not cleared). */
export async function drawPanel(ctx: CanvasRenderingContext2D, panel: PanelSvg, scale: number): Promise<void> {
  const img = await svgImage(panel.svg);
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  ctx.drawImage(img, 0, 0, panel.width, panel.height);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
}

/** The panel as a PNG at `scale` device pixels per CSS pixel (2: crisp on slides and retina screens). */
export async function panelPng(figure: Element, scale = 2): Promise<Blob> {
  const panel = panelSvg(figure);
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(panel.width * scale);
  canvas.height = Math.round(panel.height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas in this browser');
  await drawPanel(ctx, panel, scale);
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the PNG could not be encoded'))), 'image/png'),
  );
}
