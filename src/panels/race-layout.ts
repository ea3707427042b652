/**
 * The race panel's arithmetic, free of React and the DOM: where every training example sits in the
 * (signal part, noise part) plane at a logged step, how the small-margin ones are counted, and the
 * shared axes (a symmetric-log scale whose domain follows the data up to the shown step).
 */
import { type GrownCache, remember, reusable } from '../sim/grown';
import type { RunTrace } from '../sim/trace';
import { rowIndexAt } from '../view/cursor';

/** The signal and noise parts of y f for every training example at logged row k (views, not copies). */
export function examplesAt(trace: RunTrace, k: number, N: number): { signal: Float32Array; noise: Float32Array } {
  return {
    signal: trace.detail.signal.subarray(k * N, (k + 1) * N),
    noise: trace.detail.noise.subarray(k * N, (k + 1) * N),
  };
}

export interface RaceCounts {
  /** Small-margin training examples. */
  small: number;
  /** ... whose y f is carried more by the feature: signal part > noise part. */
  byFeature: number;
  /** ... the others: noise part >= signal part (the complement, as TraceRow.smallByFeature counts it). */
  byMemory: number;
}

/** How the small-margin examples are fitted at logged row k: the counts behind TraceRow.smallByFeature. */
export function raceCounts(trace: RunTrace | undefined, small: Uint8Array, k: number): RaceCounts {
  const N = small.length;
  let count = 0;
  let byFeature = 0;
  const has = trace !== undefined && k >= 0 && (k + 1) * N <= trace.detail.signal.length;
  const { signal, noise } = has ? examplesAt(trace, k, N) : { signal: null, noise: null };
  for (let i = 0; i < N; i++) {
    if (!small[i]) continue;
    count++;
    if (signal && noise && signal[i] > noise[i]) byFeature++;
  }
  return { small: count, byFeature: has ? byFeature : 0, byMemory: has ? count - byFeature : 0 };
}

/** The smallest of 1, 2, 5 x 10^k at or above v (v > 0): domain ends that change only now and then. */
export function niceCeil(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v * (1 - 1e-9)) return m * p;
  return 10 * p;
}

/**
 * The symlog constant: linear within +-constant, logarithmic beyond. It is the size of the noise
 * parts at initialization (90th percentile of |noise| at the first logged row, as a power of 10),
 * so the starting state is spread out, and it never changes during a run.
 */
export function symlogConstant(runs: readonly (RunTrace | undefined)[], N: number): number {
  const trace = runs.find((tr) => tr && tr.rows.length > 0 && tr.detail.noise.length >= N);
  if (!trace || N === 0) return 1;
  const abs = Array.from(trace.detail.noise.subarray(0, N), Math.abs)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const p90 = abs[Math.min(abs.length - 1, Math.floor(0.9 * abs.length))];
  if (!(p90 > 0)) return 1;
  return 10 ** Math.round(Math.log10(p90));
}

/** Cumulative extents per logged row: [min signal, max signal, min noise, max noise] over rows 0..k. */
const extentCache = new WeakMap<Float32Array, Float64Array>();
/** Those of an earlier, shorter view of the same buffers (a streaming run): only new rows are scanned. */
const grownExtents: GrownCache<Float64Array> = new WeakMap();

export function cumulativeExtents(trace: RunTrace, N: number): Float64Array {
  const { signal, noise } = trace.detail;
  const K = N > 0 ? Math.min(trace.rows.length, Math.floor(signal.length / N)) : 0;
  const cached = extentCache.get(signal);
  if (cached && cached.length === 4 * K) return cached;
  const out = new Float64Array(4 * K);
  const key = [noise.buffer, noise.byteOffset, N];
  const earlier = reusable(grownExtents, signal, key);
  // Rows 0..reuse-1 are the same numbers as in the earlier view; the running extents go on from there.
  const reuse = Math.min(K, earlier.rows, earlier.out ? earlier.out.length / 4 : 0);
  if (reuse > 0) out.set(earlier.out!.subarray(0, 4 * reuse));
  let [s0, s1, n0, n1] = reuse > 0 ? Array.from(out.subarray(4 * reuse - 4, 4 * reuse)) : [Infinity, -Infinity, Infinity, -Infinity];
  for (let k = reuse; k < K; k++) {
    // Comparisons only (NaN fails them all, the infinities are caught by the bounds): this runs
    // once per page load, in cold code, where a Number.isFinite call per value cost ~10 ms.
    for (let i = k * N; i < (k + 1) * N; i++) {
      const s = signal[i];
      const n = noise[i];
      if (s < s0 && s > -Infinity) s0 = s;
      if (s > s1 && s < Infinity) s1 = s;
      if (n < n0 && n > -Infinity) n0 = n;
      if (n > n1 && n < Infinity) n1 = n;
    }
    out[4 * k] = s0;
    out[4 * k + 1] = s1;
    out[4 * k + 2] = n0;
    out[4 * k + 3] = n1;
  }
  extentCache.set(signal, out);
  remember(grownExtents, signal, key, K, out);
  return out;
}

export interface RaceDomain {
  x: [number, number];
  y: [number, number];
  /** The symlog constant of both axes (the same on both: the diagonal is then a straight line). */
  constant: number;
}

/** An axis domain around [lo, hi]: nice ends, at least +-constant wide, 0 included. */
function niceDomain(lo: number, hi: number, constant: number): [number, number] {
  const top = hi > 0 ? niceCeil(Math.max(hi, constant)) : constant;
  const bottom = lo < 0 ? -niceCeil(Math.max(-lo, constant)) : 0;
  return [bottom, top];
}

/**
 * The axes shared by both facets at step t: every value either run has taken up to t (so the domain
 * only grows as t advances - the hysteresis - and scrubbing back restores the earlier view), with
 * ends rounded up to 1, 2, 5 x 10^k (so it changes in rare jumps).
 */
export function raceDomain(runs: readonly (RunTrace | undefined)[], t: number, N: number, constant: number): RaceDomain {
  let [s0, s1, n0, n1] = [0, 0, 0, 0];
  for (const trace of runs) {
    if (!trace) continue;
    const ext = cumulativeExtents(trace, N);
    const k = Math.min(rowIndexAt(trace.rows, t), ext.length / 4 - 1);
    if (k < 0) continue;
    s0 = Math.min(s0, ext[4 * k]);
    s1 = Math.max(s1, ext[4 * k + 1]);
    n0 = Math.min(n0, ext[4 * k + 2]);
    n1 = Math.max(n1, ext[4 * k + 3]);
  }
  return { x: niceDomain(s0, s1, constant), y: niceDomain(n0, n1, constant), constant };
}

/** The symlog transform d3.scaleSymlog uses: sign(v) log(1 + |v| / c). */
export function symlog(v: number, constant: number): number {
  return Math.sign(v) * Math.log1p(Math.abs(v) / constant);
}

export function symexp(u: number, constant: number): number {
  return Math.sign(u) * Math.expm1(Math.abs(u)) * constant;
}

/**
 * Tick values for a symlog axis: 0, then +-10^k, then +-2 and 5 x 10^k, each kept only where it is
 * at least minGap pixels from every tick already chosen (2 and 5 x 10^k only if every power of ten
 * in the logarithmic part, |v| >= constant, fitted). `at` maps a value to pixels.
 */
export function symlogTicks(domain: readonly [number, number], constant: number, at: (v: number) => number, minGap: number): number[] {
  const [lo, hi] = domain;
  const big = Math.max(Math.abs(lo), Math.abs(hi));
  const inside = (v: number) => v >= lo - 1e-12 * big && v <= hi + 1e-12 * big;
  const kMin = Math.floor(Math.log10(constant)) - 2;
  const kMax = Math.ceil(Math.log10(Math.max(big, constant)));
  const candidates: number[] = [0];
  for (const m of [1, 2, 5]) {
    for (let k = kMax; k >= kMin; k--) {
      const v = +(m * 10 ** k).toPrecision(6);
      candidates.push(v, -v);
    }
  }
  const chosen: number[] = [];
  let crowded = false;
  for (const v of candidates) {
    if (!inside(v)) continue;
    const decade = v !== 0 && Math.abs(Math.abs(v) / 10 ** Math.round(Math.log10(Math.abs(v))) - 1) < 1e-9;
    // Once a power of ten of the log part had to be left out, 2 and 5 x 10^k would make the axis uneven.
    if (crowded && !decade) continue;
    const p = at(v);
    if (chosen.every((c) => Math.abs(at(c) - p) >= minGap)) chosen.push(v);
    else if (decade && Math.abs(v) >= constant) crowded = true;
  }
  return chosen.sort((a, b) => a - b);
}

/** A tick label: 0, 0.01, 5, 200, 5000, 2e4, 1e-4; minus as U+2212. */
export function tickLabel(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  let s: string;
  if (a >= 1e4 || a < 1e-3) {
    const [mant, exp] = a.toExponential().split('e');
    s = `${+(+mant).toPrecision(3)}e${+exp}`;
  } else {
    s = String(+a.toPrecision(3));
  }
  return v < 0 ? `\u2212${s}` : s;
}

/**
 * The line signal = noise inside the domain, as two data points (both axes share the symlog
 * constant, so the line is straight on screen). Null if the domains do not overlap.
 */
export function diagonal(domain: RaceDomain): [[number, number], [number, number]] | null {
  const lo = Math.max(domain.x[0], domain.y[0]);
  const hi = Math.min(domain.x[1], domain.y[1]);
  if (!(hi > lo)) return null;
  return [
    [lo, lo],
    [hi, hi],
  ];
}

/**
 * The half of the plot rectangle [0, w] x [0, h] on the side of the screen line a-b that holds
 * `side`, as a polygon (the memorization region: the side of the top-left corner).
 */
export function halfPlane(a: readonly [number, number], b: readonly [number, number], side: readonly [number, number], w: number, h: number): [number, number][] {
  const corners: [number, number][] = [
    [0, 0],
    [w, 0],
    [w, h],
    [0, h],
  ];
  const cross = (p: readonly [number, number]) => (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
  const sign = Math.sign(cross(side));
  if (sign === 0) return [];
  const out: [number, number][] = [];
  // Sutherland-Hodgman against one half-plane.
  for (let i = 0; i < 4; i++) {
    const p = corners[i];
    const q = corners[(i + 1) % 4];
    const cp = cross(p) * sign;
    const cq = cross(q) * sign;
    if (cp >= 0) out.push(p);
    if ((cp >= 0) !== (cq >= 0)) {
      const u = cp / (cp - cq);
      out.push([p[0] + u * (q[0] - p[0]), p[1] + u * (q[1] - p[1])]);
    }
  }
  return out;
}

/** A fixed sideways offset in [-1, 1] per example: dots of one margin share x exactly, this spreads them. */
export function jitter(i: number): number {
  const u = (i * 0.6180339887498949) % 1;
  return 2 * u - 1;
}

export interface Points {
  x: Float32Array;
  y: Float32Array;
}

/**
 * Pixel positions of every example: x from the signal part (plus its jitter, in pixels), y from the
 * noise part. Non-finite values (a diverged run) become NaN and are not drawn.
 */
export function project(
  signal: ArrayLike<number>,
  noise: ArrayLike<number>,
  sx: (v: number) => number,
  sy: (v: number) => number,
  jitterPx: number,
): Points {
  const N = signal.length;
  const x = new Float32Array(N);
  const y = new Float32Array(N);
  for (let i = 0; i < N; i++) {
    const ok = Number.isFinite(signal[i]) && Number.isFinite(noise[i]);
    x[i] = ok ? sx(signal[i]) + jitterPx * jitter(i) : Number.NaN;
    y[i] = ok ? sy(noise[i]) : Number.NaN;
  }
  return { x, y };
}

/** Positions a fraction u of the way from `from` to `to` (same length); NaN ends jump. */
export function lerpPoints(from: Points, to: Points, u: number): Points {
  const N = to.x.length;
  const x = new Float32Array(N);
  const y = new Float32Array(N);
  for (let i = 0; i < N; i++) {
    const fx = from.x[i];
    const fy = from.y[i];
    const jump = !Number.isFinite(fx) || !Number.isFinite(fy);
    x[i] = jump ? to.x[i] : fx + u * (to.x[i] - fx);
    y[i] = jump ? to.y[i] : fy + u * (to.y[i] - fy);
  }
  return { x, y };
}

/** Ease out (cubic): the glide starts fast and settles. */
export function easeOut(u: number): number {
  const v = 1 - Math.min(1, Math.max(0, u));
  return 1 - v * v * v;
}

/** Indices in drawing order: large-margin examples first, small-margin ones on top. */
export function drawOrder(small: Uint8Array): Int32Array {
  const order = new Int32Array(small.length);
  let j = 0;
  for (let i = 0; i < small.length; i++) if (!small[i]) order[j++] = i;
  for (let i = 0; i < small.length; i++) if (small[i]) order[j++] = i;
  return order;
}

/**
 * The example nearest to (px, py) within maxDist pixels, else -1. Candidates are visited in `order`
 * (drawing order), so on a tie the dot drawn on top wins.
 */
export function nearest(points: Points, px: number, py: number, maxDist: number, order?: ArrayLike<number>): number {
  let best = -1;
  let bestD = maxDist * maxDist;
  const n = order ? order.length : points.x.length;
  for (let j = 0; j < n; j++) {
    const i = order ? order[j] : j;
    const dx = points.x[i] - px;
    const dy = points.y[i] - py;
    const d = dx * dx + dy * dy;
    if (d <= bestD) {
      best = i;
      bestD = d;
    }
  }
  return best;
}

/** A region label's box in plot pixels (x, y: its top-left corner) and how its text is anchored. */
export interface LabelBox {
  x: number;
  y: number;
  w: number;
  h: number;
  anchor: 'start' | 'end';
}

/**
 * Where a region label goes: the first candidate (its corner) unless it would hide dots that another
 * candidate leaves visible. A small-margin dot (the story) weighs five large-margin ones; the first
 * candidate keeps its place unless another is better by more than `slack` (labels do not hop around
 * while training plays). `fits` rejects candidates outside their region.
 */
export function labelSpot(
  boxes: readonly LabelBox[],
  fits: (box: LabelBox) => boolean,
  points: Points,
  small: Uint8Array,
  pad: number,
  slack = 3,
): number {
  const scores = boxes.map((box) => {
    if (!fits(box)) return Infinity;
    let score = 0;
    for (let i = 0; i < points.x.length; i++) {
      const x = points.x[i];
      const y = points.y[i];
      if (x >= box.x - pad && x <= box.x + box.w + pad && y >= box.y - pad && y <= box.y + box.h + pad) score += small[i] ? 5 : 1;
    }
    return score;
  });
  const best = scores.reduce((b, s, i) => (s < scores[b] ? i : b), 0);
  return scores[0] <= scores[best] + slack ? 0 : best;
}

/** Which side of the screen line a-b the point p is on (+1, -1, or 0 on it). */
export function sideOf(a: readonly [number, number], b: readonly [number, number], p: readonly [number, number]): number {
  return Math.sign((b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]));
}

/** Facets side by side when the panel is wide enough, stacked below `breakpoint` pixels. */
export function facetLayout(width: number, gap: number, breakpoint = 640): { columns: 1 | 2; facetWidth: number } {
  if (width >= breakpoint) return { columns: 2, facetWidth: Math.floor((width - gap) / 2) };
  return { columns: 1, facetWidth: Math.max(200, Math.floor(width)) };
}

/** The smallest power of ten at or above v (v > 0). */
function decadeCeil(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 1;
  const p = 10 ** Math.ceil(Math.log10(v) - 1e-9);
  return +p.toPrecision(6);
}

/**
 * The axes of a whole run, shared by its facets: every value any run has taken over all its logged
 * rows (not only up to the shown step), ends rounded up to a power of ten. On a symmetric-log axis
 * a power of ten is one decade, so the domain is fixed over a computed run (replays, scrubbing, the
 * story) and, while a run still trains, grows only in rare one-decade jumps. The dots then visibly
 * climb through the decades instead of the axes rescaling under them.
 */
export function runDomain(runs: readonly (RunTrace | undefined)[], N: number, constant: number): RaceDomain {
  let [s0, s1, n0, n1] = [0, 0, 0, 0];
  for (const trace of runs) {
    if (!trace) continue;
    const ext = cumulativeExtents(trace, N);
    const k = ext.length / 4 - 1;
    if (k < 0) continue;
    s0 = Math.min(s0, ext[4 * k]);
    s1 = Math.max(s1, ext[4 * k + 1]);
    n0 = Math.min(n0, ext[4 * k + 2]);
    n1 = Math.max(n1, ext[4 * k + 3]);
  }
  const end = (lo: number, hi: number): [number, number] => [lo < 0 ? -decadeCeil(Math.max(-lo, constant)) : 0, hi > 0 ? decadeCeil(Math.max(hi, constant)) : constant];
  return { x: end(s0, s1), y: end(n0, n1), constant };
}

/** Whether any of the points lies within the box grown by `pad` pixels. */
export function boxHolds(box: LabelBox, points: Points, pad: number): boolean {
  const { x, y } = points;
  const x0 = box.x - pad;
  const x1 = box.x + box.w + pad;
  const y0 = box.y - pad;
  const y1 = box.y + box.h + pad;
  for (let i = 0; i < x.length; i++) {
    const px = x[i];
    const py = y[i];
    if (px >= x0 && px <= x1 && py >= y0 && py <= y1) return true;
  }
  return false;
}

/**
 * Candidate places for a region label of size w x h in the plot [0, innerW] x [0, innerH]: a grid
 * of positions, nearest to `corner` first (the label's home), each anchored towards that corner.
 */
export function labelGrid(corner: 'top-left' | 'bottom-right', w: number, h: number, innerW: number, innerH: number, step = 12): LabelBox[] {
  const boxes: (LabelBox & { d: number })[] = [];
  const xs: number[] = [];
  const ys: number[] = [];
  for (let x = 6; x + w <= innerW - 6 + 1e-9; x += step) xs.push(x);
  for (let y = 4; y + h <= innerH - 4 + 1e-9; y += step) ys.push(y);
  for (const x of xs) {
    for (const y of ys) {
      const bx = corner === 'top-left' ? x : innerW - x - w;
      const by = corner === 'top-left' ? y : innerH - y - h;
      boxes.push({ x: bx, y: by, w, h, anchor: corner === 'top-left' ? 'start' : 'end', d: Math.hypot(x - 6, y - 4) });
    }
  }
  return boxes.sort((a, b) => a.d - b.d).map(({ d: _d, ...box }) => box);
}

/** How many points lie in a box grown by the counter's pad (see dotCounter). */
export type DotCounter = (box: LabelBox) => number;

/**
 * The points of every layer binned once into a summed-area table of `cell`-pixel cells over
 * [0, w] x [0, h]: counting the points near a box then costs four lookups (conservative by up to
 * a cell, never less than boxHolds).
 */
export function dotCounter(layers: readonly Points[], w: number, h: number, pad: number, cell = 2): DotCounter {
  const cols = Math.ceil((w + pad) / cell) + 2;
  const rows = Math.ceil((h + pad) / cell) + 2;
  // sat[(r + 1) * (cols + 1) + (c + 1)]: points in cells [0, r] x [0, c].
  const sat = new Int32Array((rows + 1) * (cols + 1));
  const col = (v: number) => Math.min(cols - 1, Math.max(0, Math.floor(v / cell)));
  const row = (v: number) => Math.min(rows - 1, Math.max(0, Math.floor(v / cell)));
  for (const p of layers) {
    for (let i = 0; i < p.x.length; i++) {
      const x = p.x[i];
      const y = p.y[i];
      if (!(x >= -pad && x <= w + pad && y >= -pad && y <= h + pad)) continue;
      sat[(row(y) + 1) * (cols + 1) + col(x) + 1]++;
    }
  }
  for (let r = 1; r <= rows; r++) {
    let line = 0;
    for (let c = 1; c <= cols; c++) {
      line += sat[r * (cols + 1) + c];
      sat[r * (cols + 1) + c] = line + sat[(r - 1) * (cols + 1) + c];
    }
  }
  const at = (r: number, c: number) => sat[r * (cols + 1) + c];
  return (box) => {
    const c0 = col(box.x - pad);
    const c1 = col(box.x + box.w + pad);
    const r0 = row(box.y - pad);
    const r1 = row(box.y + box.h + pad);
    return at(r1 + 1, c1 + 1) - at(r0, c1 + 1) - at(r1 + 1, c0) + at(r0, c0);
  };
}

/**
 * Where a region label goes so that it covers no dot: the first candidate (in preference order)
 * inside its region (`fits`) with no point of any of `layers` (the dots now, and where they were a
 * moment ago) within `pad` pixels; `layers` may be a dotCounter built once for several labels.
 * -1: nowhere is free; the label is then left out rather than drawn over dots.
 */
export function freeLabelSpot(boxes: readonly LabelBox[], fits: (box: LabelBox) => boolean, layers: readonly Points[] | DotCounter, pad: number, cell = 2): number {
  if (!boxes.length) return -1;
  let count: DotCounter;
  if (typeof layers === 'function') count = layers;
  else {
    let w = 0;
    let h = 0;
    for (const b of boxes) {
      w = Math.max(w, b.x + b.w);
      h = Math.max(h, b.y + b.h);
    }
    count = dotCounter(layers, w, h, pad, cell);
  }
  for (let i = 0; i < boxes.length; i++) if (count(boxes[i]) === 0 && fits(boxes[i])) return i;
  return -1;
}

/**
 * Where the race's canvas of dots sits in its facet: over the plot and `pad` (the largest dot's
 * radius, where the dots are clipped) around it, not over the axes' margins, which it never drew
 * on: about a quarter fewer pixels to clear, copy, upload and composite at every frame of a glide.
 * Its edges are on whole CSS pixels (Blink snaps a canvas's box to them: at half a pixel, the
 * image was resampled) and the plot's origin (`margin`: its offset in the facet) lands where it
 * was on a canvas over the whole facet, so every dot and trail rasters to the same pixels on the
 * page as before.
 */
export interface CanvasBox {
  /** The canvas's offset in the facet, in whole CSS pixels. */
  left: number;
  top: number;
  /** Its size in whole CSS pixels, and in device pixels (its backing store). */
  width: number;
  height: number;
  pxWidth: number;
  pxHeight: number;
  /** The plot's origin in the canvas, in CSS pixels (the context's translate). */
  originX: number;
  originY: number;
}

export function canvasBox(innerW: number, innerH: number, dpr: number, margin: { left: number; top: number }, pad: number): CanvasBox {
  const left = Math.floor(margin.left - pad);
  const top = Math.floor(margin.top - pad);
  const width = Math.ceil(margin.left + innerW + pad) - left;
  const height = Math.ceil(margin.top + innerH + pad) - top;
  return { left, top, width, height, pxWidth: Math.round(width * dpr), pxHeight: Math.round(height * dpr), originX: margin.left - left, originY: margin.top - top };
}
