import type { ExampleView } from '../sim/examples';

/** The gap between the two examples' blocks, in pixels. */
export const BLOCK_GAP = 16;
/** Two examples side by side when each gets at least this many pixels, else one above the other. */
const SIDE_BY_SIDE_MIN = 360;

/** Whether `count` examples go side by side (two columns) in `width` pixels. */
export function sideBySideFits(width: number, count: number): boolean {
  return count > 1 && (width - BLOCK_GAP) / 2 >= SIDE_BY_SIDE_MIN;
}

/** The width of one example's block in `width` pixels, in two columns or one. */
export function blockWidth(width: number, twoColumns: boolean): number {
  return twoColumns ? Math.floor((width - BLOCK_GAP) / 2) : width;
}

/**
 * The symmetric colour domain of the patch cells, shared by both examples so that their patches
 * compare: the largest |X[j]_k| shown (1 when there is nothing to show).
 */
export function cellExtent(examples: readonly ExampleView[]): number {
  let m = 0;
  for (const ex of examples) for (const v of ex.patches) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  return m > 0 ? m : 1;
}

/**
 * The common length scale of the per-patch bars (projection on w* and norm), shared by both
 * examples: the largest |<X[j], w*>| or ||X[j]|| (1 when there is nothing to show).
 */
export function barExtent(examples: readonly ExampleView[]): number {
  let m = 0;
  for (const ex of examples) {
    for (const v of ex.alongFeature) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
    for (const v of ex.norms) if (Number.isFinite(v)) m = Math.max(m, v);
  }
  return m > 0 ? m : 1;
}

/**
 * The shared feature w*, read back from a signal patch (X[s] = y * margin * w*): from the example
 * with the largest margin, or null when no example has a non-zero signal.
 */
export function featureFromExamples(examples: readonly ExampleView[]): Float32Array | null {
  let best: ExampleView | null = null;
  for (const ex of examples) if (ex.margin > 0 && ex.y !== 0 && (!best || ex.margin > best.margin)) best = ex;
  if (!best) return null;
  const { d, signalPatch, y, margin, patches } = best;
  const w = new Float32Array(d);
  for (let k = 0; k < d; k++) w[k] = patches[signalPatch * d + k] / (y * margin);
  return w;
}

export interface ExampleLayout {
  /** Width of the row labels ("X[3]") on the left. */
  labelW: number;
  cellW: number;
  cellH: number;
  rowGap: number;
  /** Width of the diverging <X[j], w*> bar area (zero in its middle). */
  alongW: number;
  /** Width of the ||X[j]|| bar area (zero at its left). */
  normW: number;
  gap: number;
  /** Whether there is room for the "signal" / "noise" tag at the end of each row. */
  tags: boolean;
  tagW: number;
  /** The whole SVG width. */
  width: number;
}

/**
 * How one example's rows fit in `width` pixels: fixed label and bar columns, the d cells share the
 * rest (at least 2 px each, at most 18). Narrow blocks drop the row tags and shrink the bars.
 */
export function exampleLayout(width: number, d: number): ExampleLayout {
  const narrow = width < 420;
  const labelW = 38;
  const alongW = narrow ? 52 : 72;
  const normW = narrow ? 36 : 52;
  const gap = narrow ? 8 : 12;
  const tags = !narrow;
  const tagW = tags ? 44 : 0;
  const free = width - labelW - alongW - normW - tagW - gap * (tags ? 3 : 2);
  const cellW = Math.max(2, Math.min(18, Math.floor((free / Math.max(1, d)) * 4) / 4));
  const used = labelW + d * cellW + gap + alongW + gap + normW + (tags ? gap + tagW : 0);
  return { labelW, cellW, cellH: 16, rowGap: 5, alongW, normW, gap, tags, tagW, width: Math.ceil(used) };
}
