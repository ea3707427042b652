/**
 * The log scale of the memory panel. The gradient along w* spans dozens of orders of magnitude (the
 * large-margin part collapses from ~1e-1 to ~1e-40, even to an exact 0 in float32), so the axis shows
 * a fixed number of decades below the largest value and draws anything smaller at a floor.
 */

/** Decades shown below the top of the axis: enough for the small-margin push at t = 0 (~1e-6 at the default setting). */
export const LOG_DECADES = 7;

export interface LogAxis {
  /** A power of ten at or above the largest value. */
  top: number;
  /** Values at or below it (0 included) are drawn at it. */
  floor: number;
  /** The scale's domain: a little room below the floor, so lines lying on it stay visible above the x axis. */
  domain: [number, number];
}

/** The log axis for these values: top = the next power of ten above the largest finite positive one. */
export function logAxis(values: Iterable<number>, decades: number = LOG_DECADES): LogAxis {
  let max = 0;
  for (const v of values) if (Number.isFinite(v) && v > max) max = v;
  const top = max > 0 ? 10 ** Math.ceil(Math.log10(max) - 1e-9) : 1;
  const floor = top / 10 ** decades;
  return { top, floor, domain: [floor / 2, top] };
}

/** A value as drawn on the log axis: at least the floor; null (a gap) where it is not a number. */
export function atFloor(v: number, floor: number): number | null {
  if (!Number.isFinite(v)) return null;
  return v > floor ? v : floor;
}

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };

/** 1e-4 -> "10⁻⁴"; a value that is not a power of ten -> "" (no label on a log axis' minor ticks). */
export function powerOfTen(v: number): string {
  if (!(v > 0)) return '';
  const e = Math.round(Math.log10(v));
  if (Math.abs(v / 10 ** e - 1) > 1e-6) return '';
  if (e === 0) return '1';
  return `10${String(e).replace(/[-\d]/g, (ch) => SUPERSCRIPT[ch])}`;
}

/** Below this fraction of the figure's scale a value reads as "≈ 0": 1.19e-26 next to 5.53e-3 is no number to read. */
export const NEGLIGIBLE = 1e-6;

/**
 * A gradient value in a readout: three significant digits, exponent form ("5.53e-3"), an exact 0 as
 * "0", and "≈ 0" below NEGLIGIBLE times `scale` (the largest value the figure shows).
 */
export function sci(v: number | undefined, scale = 0): string {
  if (v === undefined) return '–';
  if (!Number.isFinite(v)) return 'diverged';
  if (v === 0) return '0';
  if (Math.abs(v) < NEGLIGIBLE * scale) return '≈ 0';
  return v.toExponential(2);
}
