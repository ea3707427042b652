/**
 * The phase map's geometry and colours, from a computed (gamma, beta) grid: pure, tested on its own.
 * Columns are gamma (increasing to the right), rows are beta (increasing upwards, like a y axis).
 */
import { interpolatePuOr, interpolatePurples, interpolateViridis, rgb, scaleBand, scaleDiverging, scaleSequential } from 'd3';
import type { SweepCell, SweepGrid } from '../sim/sweep';

export type PhaseMetric = 'gap' | 'gdm' | 'gd' | 'seeds';

export const PHASE_METRICS: { id: PhaseMetric; label: string; what: string }[] = [
  { id: 'gap', label: 'gap', what: 'test error of GD minus test error of GD+M' },
  { id: 'gdm', label: 'GD+M', what: 'test error of GD+M' },
  { id: 'gd', label: 'GD', what: 'test error of GD' },
  { id: 'seeds', label: 'seeds', what: 'how many seeds show the gap: GD’s test error above GD+M’s by more than μ/4, half the largest possible gap' },
];

/** The metrics a map offers: the seed count only where its cells average more than one seed. */
export function phaseMetrics(seeds: number): typeof PHASE_METRICS {
  return PHASE_METRICS.filter((m) => m.id !== 'seeds' || seeds > 1);
}

export function cellValue(cell: SweepCell, metric: PhaseMetric): number {
  if (metric === 'seeds') return cell.seedsWithGap;
  return metric === 'gap' ? cell.gap : metric === 'gdm' ? cell.gdm.testErr : cell.gd.testErr;
}

/** The largest magnitude the colours must span: the map's own, at least 5 points so noise stays pale (the seed count: all its seeds). */
export function phaseExtent(cells: readonly (readonly SweepCell[])[], metric: PhaseMetric): number {
  if (metric === 'seeds') return cells[0]?.[0]?.seeds ?? 1;
  const values = cells.flat().map((c) => Math.abs(cellValue(c, metric))).filter(Number.isFinite);
  return Math.max(0.05, ...values);
}

/**
 * Colour of a value: test errors on viridis from 0 to the map's largest (perceptually even, safe for
 * colour-vision deficiencies); the gap on purple-orange diverging at 0, purple where momentum is
 * better. The printed number in each cell is the second cue.
 */
export function phaseColor(metric: PhaseMetric, extent: number): (v: number) => string {
  if (metric === 'seeds') {
    // Purple as the gap's: the more seeds show momentum's advantage, the deeper. 0 seeds stays white-ish.
    const scale = scaleSequential((t: number) => interpolatePurples(0.05 + 0.9 * t)).domain([0, extent]).clamp(true);
    return (v) => (Number.isFinite(v) ? scale(v) : 'transparent');
  }
  if (metric === 'gap') {
    // interpolatePuOr runs from purple (0) to orange (1): reversed, so purple is a positive gap
    // (and orange, GD's colour in every other figure, is where GD does better).
    const scale = scaleDiverging((t: number) => interpolatePuOr(1 - t)).domain([-extent, 0, extent]).clamp(true);
    return (v) => (Number.isFinite(v) ? scale(v) : 'transparent');
  }
  const scale = scaleSequential(interpolateViridis).domain([extent, 0]).clamp(true);
  return (v) => (Number.isFinite(v) ? scale(v) : 'transparent');
}

const DARK_TEXT = '#111111';
const LIGHT_TEXT = '#ffffff';

/** WCAG relative luminance of an sRGB colour. */
function relativeLuminance(c: { r: number; g: number; b: number }): number {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

/**
 * Near-black or white text over a background colour, whichever has the higher WCAG contrast (a cut
 * on gamma-encoded luminance picks white on mid oranges, where black reads clearly better).
 */
export function textOn(background: string): string {
  const c = rgb(background);
  if (!Number.isFinite(c.r) || c.opacity === 0) return 'currentColor';
  const L = relativeLuminance(c);
  const dark = relativeLuminance(rgb(DARK_TEXT));
  return (L + 0.05) / (dark + 0.05) >= 1.05 / (L + 0.05) ? DARK_TEXT : LIGHT_TEXT;
}

export interface PhaseLayout {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
  x: (gammaIndex: number) => number;
  y: (betaIndex: number) => number;
  cellWidth: number;
  cellHeight: number;
}

export function phaseLayout(grid: SweepGrid, width: number, cellHeight = 44): PhaseLayout {
  const margin = { top: 8, right: 8, bottom: 40, left: 56 };
  const innerHeight = grid.betas.length * cellHeight;
  // Never narrower than a readable minimum; the plot then overflows its box rather than its own axes.
  const innerWidth = Math.max(60, width - margin.left - margin.right);
  const x = scaleBand<number>().domain(grid.gammas.map((_, i) => i)).range([0, innerWidth]).paddingInner(0.06);
  // beta increases upwards: row 0 (smallest beta) at the bottom
  const y = scaleBand<number>().domain(grid.betas.map((_, i) => grid.betas.length - 1 - i)).range([0, innerHeight]).paddingInner(0.08);
  return {
    width: margin.left + innerWidth + margin.right,
    height: margin.top + innerHeight + margin.bottom,
    margin,
    x: (i) => x(i) ?? 0,
    y: (i) => y(i) ?? 0,
    cellWidth: x.bandwidth(),
    cellHeight: y.bandwidth(),
  };
}

/**
 * Where a value sits along a grid axis, in cell units (0 = centre of the first cell), interpolated
 * between neighbouring values and clamped to the axis; `outside` when it lies beyond the grid.
 */
export function axisPosition(values: readonly number[], v: number): { at: number; outside: boolean } {
  if (v <= values[0]) return { at: 0, outside: v < values[0] };
  const last = values.length - 1;
  if (v >= values[last]) return { at: last, outside: v > values[last] };
  const k = values.findIndex((w) => w > v) - 1;
  return { at: k + (v - values[k]) / (values[k + 1] - values[k]), outside: false };
}

/** The grid cell at exactly (gamma, beta), if any (float-tolerant). */
export function exactCell(grid: SweepGrid, gamma: number, beta: number): { g: number; b: number } | null {
  const close = (a: number, b: number) => Math.abs(a - b) < 1e-9;
  const g = grid.gammas.findIndex((v) => close(v, gamma));
  const b = grid.betas.findIndex((v) => close(v, beta));
  return g >= 0 && b >= 0 ? { g, b } : null;
}

/** A percentage for a cell: "14.9" (points for the gap, with its sign); for the seed count "3/5". */
export function formatCell(v: number, metric: PhaseMetric, seeds = 1): string {
  if (!Number.isFinite(v)) return '–';
  if (metric === 'seeds') return `${v}/${seeds}`;
  const p = v * 100;
  const text = Math.abs(p) >= 10 ? p.toFixed(0) : p.toFixed(1);
  // The sign follows the printed digits: no "+0.0" and no "-0.0".
  if (Number(text) === 0) return '0.0';
  return metric === 'gap' && p > 0 ? `+${text}` : text;
}
