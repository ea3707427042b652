import { scaleSymlog } from 'd3';
import { type PointerEvent, useEffect, useMemo, useRef, useState } from 'react';
import type { RunTrace } from '../sim/trace';
import { trailRows } from '../sim/trail';
import { prefersReducedMotion } from '../state/motion';
import { num } from '../view/format';
import { Tex } from '../view/Tex';
import { GLIDE_MS, MARGIN_STYLE, RUN_STYLE, SIZE } from '../view/theme';
import { PAIR, RUN_NAMES, type RunName } from '../sim/runs';
import { useFigureWidth } from './chart/useWidth';
import { rowIndexAt } from '../view/cursor';
import { PanelFrame } from './Panel';
import {
  type CanvasBox,
  type DotCounter,
  type LabelBox,
  type Points,
  type RaceDomain,
  canvasBox,
  diagonal,
  dotCounter,
  drawOrder,
  easeOut,
  examplesAt,
  facetLayout,
  freeLabelSpot,
  halfPlane,
  labelGrid,
  lerpPoints,
  nearest,
  project,
  raceCounts,
  runDomain,
  sideOf,
  symlogConstant,
  symlogTicks,
  tickLabel,
} from './race-layout';
import { RunSwatch } from './RunLegend';
import type { PanelProps } from '../view/panel-types';
import './race.css';

/** Gap between the two facets, in CSS pixels. */
const GAP = 16;
/** Dots of one margin share their x exactly; they are spread this many pixels either side. */
const JITTER_PX = 5;
/** The chart margins, with room above the plot for the y-axis title. */
const MARGIN = { ...SIZE.margin, top: SIZE.margin.top + 10, bottom: SIZE.margin.bottom + 4 };
/** The size of a region label (two lines of 11.5 px text), in pixels. */
const LABEL = { w: 96, h: 30 };
/** Where the full label finds no free place: its title alone (one line), in pixels. */
const LABEL_SHORT = { w: 80, h: 15 };

/** A glide lasts as long as the last step took to arrive (the dots move all the time), within these bounds. */
const GLIDE_MAX_MS = 700;

/**
 * Where the region labels may go: memorization near the top-left corner, feature near the
 * bottom-right one, each anywhere on a grid inside its own region, nearest to its corner first. The
 * first place that covers no dot (now, or along its recent trail) wins; where none is free the
 * label is left out, never drawn over dots.
 */
function labelCandidates(a: [number, number] | null, b: [number, number] | null, innerW: number, innerH: number) {
  const inside = (corner: [number, number]) => (box: LabelBox) => {
    if (!a || !b) return true;
    const want = sideOf(a, b, corner);
    return [
      [box.x, box.y],
      [box.x + box.w, box.y],
      [box.x, box.y + box.h],
      [box.x + box.w, box.y + box.h],
    ].every((p) => sideOf(a, b, p as [number, number]) !== -want);
  };
  return {
    memory: [labelGrid('top-left', LABEL.w, LABEL.h, innerW, innerH), labelGrid('top-left', LABEL_SHORT.w, LABEL_SHORT.h, innerW, innerH)],
    feature: [labelGrid('bottom-right', LABEL.w, LABEL.h, innerW, innerH), labelGrid('bottom-right', LABEL_SHORT.w, LABEL_SHORT.h, innerW, innerH)],
    inMemory: inside([0, 0]),
    inFeature: inside([innerW, innerH]),
  };
}

/** The full label where one is free, else the title alone where that is free, else none. */
function placeLabel(sets: readonly LabelBox[][], fits: (box: LabelBox) => boolean, count: DotCounter, pad: number): { box: LabelBox; short: boolean } | null {
  for (const [j, boxes] of sets.entries()) {
    const i = freeLabelSpot(boxes, fits, count, pad);
    if (i >= 0) return { box: boxes[i], short: j > 0 };
  }
  return null;
}

function RegionLabel({ spot, title, sub, region }: { spot: { box: LabelBox; short: boolean } | null; title: string; sub: string; region: string }) {
  if (!spot) return null;
  const { box, short } = spot;
  const x = box.anchor === 'start' ? box.x + 2 : box.x + box.w - 2;
  return (
    <text className="race-region" data-region={region} data-box={`${box.x},${box.y},${box.w},${box.h}`} x={x} y={box.y + 11} textAnchor={box.anchor}>
      <tspan x={x}>{title}</tspan>
      {!short && (
        <tspan x={x} dy="1.2em">
          {sub}
        </tspan>
      )}
    </text>
  );
}


interface PaintSpec {
  box: CanvasBox;
  innerW: number;
  innerH: number;
  dpr: number;
  small: Uint8Array;
  order: Int32Array;
}

/** Trail segments of ages [from, to): age 0 runs from the dots as drawn now to the last row, age j from row j-1 to row j. */
function strokeTrail(ctx: CanvasRenderingContext2D, spec: PaintSpec, points: Points, trail: readonly Points[], from: number, to: number): void {
  const { small, order } = spec;
  for (const isSmall of [0, 1]) {
    ctx.strokeStyle = isSmall ? MARGIN_STYLE.small.color : MARGIN_STYLE.large.color;
    ctx.lineWidth = isSmall ? 1.6 : 1;
    for (let age = from; age < to; age++) {
      const head = age === 0 ? points : trail[age - 1];
      const tail = trail[age];
      ctx.beginPath();
      for (const i of order) {
        if (small[i] !== isSmall) continue;
        const x0 = head.x[i];
        const y0 = head.y[i];
        const x1 = tail.x[i];
        const y1 = tail.y[i];
        if (!Number.isFinite(x0) || !Number.isFinite(y0) || !Number.isFinite(x1) || !Number.isFinite(y1)) continue;
        if (Math.abs(x1 - x0) + Math.abs(y1 - y0) < 0.5) continue;
        ctx.moveTo(x0, y0);
        ctx.lineTo(x1, y1);
      }
      ctx.globalAlpha = (isSmall ? 0.55 : 0.3) * (1 - age / trail.length);
      ctx.stroke();
    }
  }
}

/** Clip to the plot plus a dot's radius, in plot coordinates (the context translated to the plot's origin). */
function clipToPlot(ctx: CanvasRenderingContext2D, spec: PaintSpec): void {
  const r = SIZE.dotHighlighted;
  ctx.translate(spec.box.originX, spec.box.originY);
  ctx.beginPath();
  ctx.rect(-r, -r, spec.innerW + 2 * r, spec.innerH + 2 * r);
  ctx.clip();
}

/** Set up a context for drawing in plot coordinates, clipped to the plot (plus a dot's radius). */
function begin(ctx: CanvasRenderingContext2D, spec: PaintSpec): void {
  const { box, dpr } = spec;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, box.width, box.height);
  ctx.save();
  clipToPlot(ctx, spec);
}

/**
 * The older part of the trails (ages 1 and up), which stays the same while the dots glide to a new
 * row: drawn once per row into a canvas of its own, then copied into every frame of the glide.
 * Null when there is nothing older than age 0 or no 2D context.
 */
function paintOlderTrail(spec: PaintSpec, trail: readonly Points[], reuse: HTMLCanvasElement | null): HTMLCanvasElement | null {
  if (trail.length < 2 || typeof document === 'undefined') return null;
  // One layer per facet, drawn over at every row: a new canvas per row cost its backing store's
  // allocation at the first draw (160 ms of setTransform in a 7.5 s live run).
  const layer = reuse ?? document.createElement('canvas');
  const { pxWidth: w, pxHeight: h } = spec.box;
  if (layer.width !== w) layer.width = w;
  if (layer.height !== h) layer.height = h;
  const ctx = layer.getContext('2d', { willReadFrequently: true });
  if (!ctx) return null;
  begin(ctx, spec);
  strokeTrail(ctx, spec, trail[0], trail, 1, trail.length);
  ctx.restore();
  return layer;
}

/**
 * Draw the dots (large-margin muted underneath, small-margin on top), each behind a short fading
 * trail through its recent positions (`trail`: most recent first; empty under reduced motion;
 * `older`: its ages 1 and up, drawn already). The colours are the margin colours, readable on light
 * and dark backgrounds alike. False when there is no 2D context.
 */
function paint(canvas: HTMLCanvasElement, points: Points, spec: PaintSpec, trail: readonly Points[], older: HTMLCanvasElement | null): boolean {
  // A CPU-backed canvas: a thousand small arcs raster in about a millisecond, while a GPU canvas on a
  // software GL (SwiftShader, llvmpipe: the machines without a GPU) took 250 ms a frame.
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return false;
  const { small, order } = spec;
  if (older && typeof ctx.drawImage === 'function') {
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.globalAlpha = 1;
    ctx.drawImage(older, 0, 0);
    ctx.setTransform(spec.dpr, 0, 0, spec.dpr, 0, 0);
    ctx.save();
    clipToPlot(ctx, spec);
    strokeTrail(ctx, spec, points, trail, 0, 1);
  } else {
    begin(ctx, spec);
    if (trail.length) strokeTrail(ctx, spec, points, trail, 0, trail.length);
  }
  for (const isSmall of [0, 1]) {
    const r = isSmall ? SIZE.dotHighlighted : SIZE.dot;
    ctx.beginPath();
    for (const i of order) {
      if (small[i] !== isSmall) continue;
      const x = points.x[i];
      const y = points.y[i];
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, 2 * Math.PI);
    }
    ctx.globalAlpha = isSmall ? 0.85 : 0.5;
    ctx.fillStyle = isSmall ? MARGIN_STYLE.small.color : MARGIN_STYLE.large.color;
    ctx.fill();
  }
  ctx.restore();
  return true;
}

interface FacetProps {
  run: RunName;
  trace: RunTrace | undefined;
  small: Uint8Array;
  order: Int32Array;
  t: number;
  domain: RaceDomain;
  width: number;
}

/** One run: its title and counter, the dots on a canvas between two SVG layers, a tooltip. */
function RaceFacet({ run, trace, small, order, t, domain, width }: FacetProps) {
  const height = SIZE.raceHeight;
  const innerW = Math.max(10, width - MARGIN.left - MARGIN.right);
  const innerH = Math.max(10, height - MARGIN.top - MARGIN.bottom);
  const N = small.length;
  const k = trace ? Math.min(rowIndexAt(trace.rows, t), Math.floor(trace.detail.signal.length / Math.max(1, N)) - 1) : -1;
  const row = k >= 0 ? trace!.rows[k] : undefined;
  const counts = raceCounts(trace, small, k);
  const [x0, x1] = domain.x;
  const [y0, y1] = domain.y;
  const c = domain.constant;
  const sx = useMemo(() => scaleSymlog().constant(c).domain([x0, x1]).range([0, innerW]), [c, x0, x1, innerW]);
  const sy = useMemo(() => scaleSymlog().constant(c).domain([y0, y1]).range([innerH, 0]), [c, y0, y1, innerH]);

  const values = k >= 0 && trace ? examplesAt(trace, k, N) : null;
  const target = useMemo<Points>(
    () => (values ? project(values.signal, values.noise, sx, sy, JITTER_PX) : { x: new Float32Array(0), y: new Float32Array(0) }),
    // `values` are views of the trace at row k: trace and k identify them.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [trace, k, N, sx, sy],
  );
  // The recent past of every dot: a few earlier rows, projected once per shown row. Under reduced
  // motion there is no trail (nothing glides either).
  const reduced = prefersReducedMotion();
  const trail = useMemo<Points[]>(() => {
    if (!trace || k < 0 || reduced) return [];
    return trailRows(trace.rows, k).map((j) => {
      const v = examplesAt(trace, j, N);
      return project(v.signal, v.noise, sx, sy, JITTER_PX);
    });
  }, [trace, k, N, sx, sy, reduced]);

  const dpr = typeof window !== 'undefined' && window.devicePixelRatio > 0 ? window.devicePixelRatio : 1;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  /** The older part of the trails (paintOlderTrail), kept from row to row. */
  const layerRef = useRef<HTMLCanvasElement | null>(null);
  /** What the canvas shows now (mid-glide: the current frame). */
  const shown = useRef<Points | null>(null);
  /** When the last new target arrived: the next glide lasts as long as that gap (continuous motion). */
  const arrived = useRef(0);
  /** The step the canvas shows: a new width or scale redraws at once, only a new step glides. */
  const shownStep = useRef<number | undefined>(undefined);
  const box = useMemo(() => canvasBox(innerW, innerH, dpr, MARGIN, SIZE.dotHighlighted), [innerW, innerH, dpr]);
  const spec = useMemo<PaintSpec>(() => ({ box, innerW, innerH, dpr, small, order }), [box, innerW, innerH, dpr, small, order]);
  const shownT = row?.t;

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    canvas.dataset.trail = String(trail.length);
    // The older trail is drawn once per row, not in every frame of the glide; and only when a glide
    // or a redraw copies it (a first drawing strokes the whole trail itself: drawing it into the
    // layer as well doubled the largest task of an embed's load, 161 ms before Lighthouse's 4x).
    let older: HTMLCanvasElement | null | undefined;
    const olderLayer = () => {
      if (older === undefined) {
        older = paintOlderTrail(spec, trail, layerRef.current);
        if (older) layerRef.current = older;
      }
      return older;
    };
    const draw = (p: Points, layer: HTMLCanvasElement | null) => {
      shown.current = p;
      return paint(canvas, p, spec, trail, layer);
    };
    const finish = (layer: HTMLCanvasElement | null) => {
      if (draw(target, layer)) canvas.dataset.drawnT = shownT === undefined ? '' : String(shownT);
    };
    const from = shown.current;
    const now = performance.now();
    const gap = now - arrived.current;
    arrived.current = now;
    const sameStep = shownStep.current === shownT;
    shownStep.current = shownT;
    // A canvas's first drawing strokes its whole trail itself: drawImage of the trail's layer makes
    // Chromium bring the page's style up to date first, and run right after the commit that
    // inserted the figure, that was the whole embed's style (137 ms of a 163 ms task in a
    // Lighthouse trace, before its 4x slowdown), where the browser's own frame would have done it.
    if (!from) {
      finish(null);
      return;
    }
    if (sameStep || from.x.length !== target.x.length || target.x.length === 0 || reduced || typeof requestAnimationFrame !== 'function') {
      finish(olderLayer());
      return;
    }
    const glide = Math.min(GLIDE_MAX_MS, Math.max(GLIDE_MS, gap));
    const start = now;
    let frame = 0;
    let frames = 0;
    const step = () => {
      // The first frame of a glide is always part-way (a late frame still shows motion).
      const u = frames++ === 0 ? Math.min(0.5, (performance.now() - start) / glide) : (performance.now() - start) / glide;
      if (u >= 1) {
        finish(olderLayer());
        return;
      }
      draw(lerpPoints(from, target, easeOut(u)), olderLayer());
      frame = requestAnimationFrame(step);
    };
    frame = requestAnimationFrame(step);
    return () => cancelAnimationFrame(frame);
  }, [target, trail, spec, shownT, reduced]);

  const [hover, setHover] = useState<number | null>(null);
  const onPointer = (e: PointerEvent<SVGSVGElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    // screen pixels to the drawing's: an embed scales its whole content to fit its frame
    const k = box.width > 0 ? width / box.width : 1;
    const i = nearest(target, (e.clientX - box.left) * k - MARGIN.left, (e.clientY - box.top) * k - MARGIN.top, 14 * k, order);
    setHover(i >= 0 ? i : null);
  };
  const hovered = hover !== null && hover < target.x.length && values ? hover : null;

  // The frame depends on the axes only: computed once per run (and width), not per shown step.
  const frame = useMemo(() => {
    const diag = diagonal(domain);
    const a: [number, number] | null = diag && [sx(diag[0][0]), sy(diag[0][1])];
    const b: [number, number] | null = diag && [sx(diag[1][0]), sy(diag[1][1])];
    return {
      xTicks: symlogTicks(domain.x, domain.constant, sx, 46),
      yTicks: symlogTicks(domain.y, domain.constant, sy, 20),
      a,
      b,
      memoryRegion: a && b ? halfPlane(a, b, [0, 0], innerW, innerH) : [],
      labels: labelCandidates(a, b, innerW, innerH),
    };
  }, [domain, sx, sy, innerW, innerH]);
  const { xTicks, yTicks, a, b, memoryRegion, labels } = frame;
  const [memorySpot, featureSpot] = useMemo(() => {
    // Clear of the dots now and of where they were a moment ago, by the dot radius plus a margin.
    const layers = [target, ...trail];
    const pad = SIZE.dotHighlighted + 2;
    // One table of the dots for all four candidate sets.
    const count = dotCounter(layers, innerW, innerH, pad);
    return [placeLabel(labels.memory, labels.inMemory, count, pad), placeLabel(labels.feature, labels.inFeature, count, pad)];
  }, [labels, target, trail, innerW, innerH]);
  const style = RUN_STYLE[run];
  const summary = row
    ? `${style.label} at step ${row.t}: of ${counts.small} small-margin training examples, ${counts.byFeature} are fitted by the feature and ${counts.byMemory} by memorization`
    : `${style.label}: no steps yet`;

  return (
    <div className="race-facet" data-run={run} data-t={shownT}>
      <div className="race-facet-head">
        <div className="race-facet-title">
          <RunSwatch run={run} />
          <strong>{style.label}</strong>
          <span className="race-step">{row ? `t = ${row.t}` : 'no steps yet'}</span>
        </div>
        <div className="race-count" data-testid={`race-count-${run}`} data-by-feature={counts.byFeature} data-by-memory={counts.byMemory}>
          small margin: <b>{counts.byFeature}</b> by feature · <b>{counts.byMemory}</b> by memorization
        </div>
      </div>
      <div className="race-plot" style={{ width, height }}>
        <svg className="race-layer" width={width} height={height} aria-hidden="true">
          <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
            {memoryRegion.length > 0 && <polygon className="race-tint" points={memoryRegion.map((p) => p.join(',')).join(' ')} />}
            {xTicks.map((v) => (
              <line key={`x${v}`} className="race-grid" x1={sx(v)} x2={sx(v)} y1={0} y2={innerH} />
            ))}
            {yTicks.map((v) => (
              <line key={`y${v}`} className="race-grid" x1={0} x2={innerW} y1={sy(v)} y2={sy(v)} />
            ))}
            {/* Placed where no dot is; left out where there is no such place. */}
            <RegionLabel region="memorization" spot={memorySpot} title="memorization" sub="noise ≥ signal" />
            <RegionLabel region="feature" spot={featureSpot} title="feature" sub="signal > noise" />
          </g>
        </svg>
        <canvas
          ref={canvasRef}
          className="race-layer race-canvas"
          width={box.pxWidth}
          height={box.pxHeight}
          style={{ left: box.left, top: box.top, width: box.width, height: box.height }}
          aria-hidden="true"
        />
        <svg
          className="race-layer race-front"
          width={width}
          height={height}
          role="img"
          aria-label={summary}
          onPointerMove={onPointer}
          onPointerDown={onPointer}
          onPointerLeave={() => setHover(null)}
        >
          <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
            <g className="axis axis-bottom" transform={`translate(0,${innerH})`}>
              <line x1={0} x2={innerW} />
              {xTicks.map((v) => (
                <g key={v} transform={`translate(${sx(v)},0)`}>
                  <line y2={5} />
                  <text y={16} textAnchor="middle">
                    {tickLabel(v)}
                  </text>
                </g>
              ))}
              <text className="axis-label" x={innerW} y={32} textAnchor="end">
                signal part (feature) →
              </text>
              <text className="race-scale" x={0} y={32} textAnchor="start" data-testid={`race-scale-${run}`}>
                symlog: linear in ±{tickLabel(c)}
              </text>
            </g>
            <g className="axis axis-left">
              <line y1={0} y2={innerH} />
              {yTicks.map((v) => (
                <g key={v} transform={`translate(0,${sy(v)})`}>
                  <line x2={-5} />
                  <text x={-8} dy="0.32em" textAnchor="end">
                    {tickLabel(v)}
                  </text>
                </g>
              ))}
            </g>
            {a && b && (
              <line className="race-diagonal" x1={a[0]} y1={a[1]} x2={b[0]} y2={b[1]}>
                <title>signal part = noise part</title>
              </line>
            )}
            <text className="axis-label race-ylabel" x={-MARGIN.left + 4} y={-9}>
              ↑ noise part (memorization)
            </text>
            <text className="race-scale" x={innerW} y={-9} textAnchor="end">
              both axes fixed over the run
            </text>
            {hovered !== null && (
              <circle className="race-hover" cx={target.x[hovered]} cy={target.y[hovered]} r={SIZE.dotHighlighted + 3} />
            )}
          </g>
        </svg>
        {hovered !== null && values && (
          <div
            className="race-tooltip"
            role="status"
            style={tooltipPlace(MARGIN.left + target.x[hovered], MARGIN.top + target.y[hovered], width)}
          >
            <strong>example #{hovered}</strong>, {small[hovered] ? MARGIN_STYLE.small.label : MARGIN_STYLE.large.label}
            <br />
            signal part {num(values.signal[hovered])}
            <br />
            noise part {num(values.noise[hovered])}
            <br />→ fitted by {values.signal[hovered] > values.noise[hovered] ? 'the feature' : 'memorization'}
          </div>
        )}
      </div>
    </div>
  );
}

/** The tooltip beside the dot at (x, y), on the side with room for it (it wraps where neither has). */
function tooltipPlace(x: number, y: number, width: number) {
  const roomRight = width - x - 10;
  const roomLeft = x - 10;
  const top = y + 10;
  return roomRight >= 240 || roomRight >= roomLeft
    ? { left: x + 10, top, maxWidth: Math.max(120, roomRight) }
    : { right: width - x + 10, top, maxWidth: Math.max(120, roomLeft) };
}

function Dot({ color, r, opacity }: { color: string; r: number; opacity: number }) {
  return (
    <svg width="12" height="12" aria-hidden="true" className="swatch">
      <circle cx="6" cy="6" r={r} fill={color} fillOpacity={opacity} />
    </svg>
  );
}

/**
 * The race between the feature and memorization: every training example at the shown step, placed
 * by the two parts of its output y f, for GD and GD+M on shared axes.
 */
export function RacePanel({ data, t, highlighted }: PanelProps) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const width = useFigureWidth(wrapRef, 'race');
  const { columns, facetWidth } = facetLayout(width, GAP);
  const { small } = data;
  const N = small.length;
  // Every run present, in the registry's order; the pair always (a run without rows yet says so).
  const runNames = useMemo(() => RUN_NAMES.filter((name) => name in data.runs || PAIR.includes(name)), [data.runs]);
  // The domain covers everything computed, not the shown step: a run's axes are fixed once it is
  // computed (replays, the story, scrubbing), and grow in rare one-decade jumps while it trains.
  const computed = useMemo(() => {
    const traces = runNames.map((name) => data.runs[name]);
    const c = symlogConstant(traces, N);
    return runDomain(traces, N, c);
  }, [data.runs, runNames, N]);
  // The same axes keep the same object: the facets' frames (ticks, region, label candidates: 130 ms
  // in a 7.5 s live run when recomputed at every snapshot) are then computed only when they change.
  const { constant, x: [x0, x1], y: [y0, y1] } = computed;
  const domain = useMemo<RaceDomain>(() => ({ x: [x0, x1], y: [y0, y1], constant }), [x0, x1, y0, y1, constant]);
  const order = useMemo(() => drawOrder(small), [small]);

  const legend = (
    <ul className="legend-list race-legend" aria-label="Marks">
      <li>
        <Dot color={MARGIN_STYLE.small.color} r={SIZE.dotHighlighted} opacity={0.9} /> small-margin training example (β)
      </li>
      <li>
        <Dot color={MARGIN_STYLE.large.color} r={SIZE.dot} opacity={0.45} /> large-margin training example (α)
      </li>
      <li>
        <svg width="30" height="12" aria-hidden="true" className="swatch">
          <line className="race-diagonal" x1="1" y1="11" x2="29" y2="1" />
        </svg>{' '}
        signal part = noise part
      </li>
      <li>
        x: signal part <Tex tex={String.raw`y\sum_r\langle w_r, X[s]\rangle^3 = c_i^3\sum_r c_r^3`} />
      </li>
      <li>
        y: noise part <Tex tex={String.raw`y\sum_r\sum_{j\ne s}\langle w_r, X[j]\rangle^3`} />
      </li>
    </ul>
  );

  return (
    <PanelFrame
      id="race"
      highlighted={highlighted}
      legend={legend}
      caption={
        <>
          Each dot is a training example at the shown step, placed by how much of its output y·f the shared feature carries (x) and
          how much its own noise patches carry (y): GD ends up fitting its small-margin examples by memorization, GD+M by the feature.{' '}
          <span className="race-note">
            Both axes are symmetric-log (linear within ±{tickLabel(constant)}, logarithmic beyond), shared by the runs and fixed
            over the whole run, so the dots climb through the decades; each leaves a short fading trail of its recent positions. The
            signal part is the same for every example of one margin, so its dots are spread {JITTER_PX} px sideways to stay visible.
            Hover a dot for its numbers.
          </span>
        </>
      }
    >
      <div ref={wrapRef} className="race-facets" style={{ gridTemplateColumns: columns === 2 ? `repeat(2, ${facetWidth}px)` : `${facetWidth}px`, gap: GAP }}>
        {runNames.map((run) => (
          <RaceFacet key={run} run={run} trace={data.runs[run]} small={small} order={order} t={t} domain={domain} width={facetWidth} />
        ))}
      </div>
    </PanelFrame>
  );
}
