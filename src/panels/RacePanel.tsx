import { scaleSymlog } from 'd3';
import { type PointerEvent, useEffect, useMemo, useRef, useState } from 'react';
import type { RunTrace } from '../sim/trace';
import { prefersReducedMotion } from '../state/motion';
import { num } from '../view/format';
import { Tex } from '../view/Tex';
import { GLIDE_MS, MARGIN_STYLE, RUN_STYLE, SIZE } from '../view/theme';
import { PAIR, type RunName } from '../sim/runs';
import { useWidth } from './chart/useWidth';
import { rowIndexAt } from '../view/cursor';
import { PanelFrame } from './Panel';
import {
  type LabelBox,
  type Points,
  type RaceDomain,
  diagonal,
  drawOrder,
  easeOut,
  examplesAt,
  facetLayout,
  halfPlane,
  labelSpot,
  lerpPoints,
  nearest,
  project,
  raceCounts,
  raceDomain,
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

/**
 * Where the region labels may go: memorization in the top-left corner, else along the top edge left
 * of the diagonal, else on the left edge above it; feature in the bottom-right corner, else
 * bottom-left, else top-right. The first candidate wins unless it would hide dots. Labels are drawn
 * under the dots, so where none avoids them the dots still show.
 */
function labelCandidates(a: [number, number] | null, b: [number, number] | null, innerW: number, innerH: number) {
  const { w, h } = LABEL;
  const memory: LabelBox[] = [{ x: 6, y: 4, w, h, anchor: 'start' }];
  if (a && b && b[1] !== a[1] && b[0] !== a[0]) {
    // The line's x at a given height and its y at a given x, on screen.
    const xAt = (y: number) => a[0] + ((y - a[1]) * (b[0] - a[0])) / (b[1] - a[1]);
    const yAt = (x: number) => a[1] + ((x - a[0]) * (b[1] - a[1])) / (b[0] - a[0]);
    // Along the top, its bottom-right corner just left of the line.
    const right = Math.min(innerW - 6, xAt(4 + h) - 8);
    if (right - w >= 6) memory.push({ x: right - w, y: 4, w, h, anchor: 'end' });
    // On the left edge, its bottom-right corner just above the line.
    const bottom = Math.min(innerH - 4, yAt(6 + w) - 8);
    if (bottom - h >= 4 + h) memory.push({ x: 6, y: bottom - h, w, h, anchor: 'start' });
  }
  const feature: LabelBox[] = [
    { x: innerW - 6 - w, y: innerH - 4 - h, w, h, anchor: 'end' },
    { x: 6, y: innerH - 4 - h, w, h, anchor: 'start' },
    { x: innerW - 6 - w, y: 4, w, h, anchor: 'end' },
  ];
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
  return { memory, feature, inMemory: inside([0, 0]), inFeature: inside([innerW, innerH]) };
}

function RegionLabel({ box, title, sub }: { box: LabelBox; title: string; sub: string }) {
  const x = box.anchor === 'start' ? box.x + 2 : box.x + box.w - 2;
  return (
    <text className="race-region" x={x} y={box.y + 11} textAnchor={box.anchor}>
      <tspan x={x}>{title}</tspan>
      <tspan x={x} dy="1.2em">
        {sub}
      </tspan>
    </text>
  );
}


interface PaintSpec {
  width: number;
  height: number;
  dpr: number;
  small: Uint8Array;
  order: Int32Array;
}

/**
 * Draw the dots (large-margin muted underneath, small-margin on top). The colours are the margin
 * colours, readable on light and dark backgrounds alike. False when there is no 2D context.
 */
function paint(canvas: HTMLCanvasElement, points: Points, spec: PaintSpec): boolean {
  // A CPU-backed canvas: a thousand small arcs raster in about a millisecond, while a GPU canvas on a
  // software GL (SwiftShader, llvmpipe: the machines without a GPU) took 250 ms a frame.
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return false;
  const { width, height, dpr, small, order } = spec;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.save();
  ctx.translate(MARGIN.left, MARGIN.top);
  ctx.beginPath();
  ctx.rect(-SIZE.dotHighlighted, -SIZE.dotHighlighted, width - MARGIN.left - MARGIN.right + 2 * SIZE.dotHighlighted, height - MARGIN.top - MARGIN.bottom + 2 * SIZE.dotHighlighted);
  ctx.clip();
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

  const dpr = typeof window !== 'undefined' && window.devicePixelRatio > 0 ? window.devicePixelRatio : 1;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  /** What the canvas shows now (mid-glide: the current frame). */
  const shown = useRef<Points | null>(null);
  /** The step the canvas shows: a new width or scale redraws at once, only a new step glides. */
  const shownStep = useRef<number | undefined>(undefined);
  const spec = useMemo<PaintSpec>(() => ({ width, height, dpr, small, order }), [width, height, dpr, small, order]);
  const shownT = row?.t;

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const draw = (p: Points) => {
      shown.current = p;
      return paint(canvas, p, spec);
    };
    const finish = () => {
      if (draw(target)) canvas.dataset.drawnT = shownT === undefined ? '' : String(shownT);
    };
    const from = shown.current;
    const sameStep = shownStep.current === shownT;
    shownStep.current = shownT;
    if (!from || sameStep || from.x.length !== target.x.length || target.x.length === 0 || prefersReducedMotion() || typeof requestAnimationFrame !== 'function') {
      finish();
      return;
    }
    const start = performance.now();
    let frame = 0;
    const step = () => {
      const u = (performance.now() - start) / GLIDE_MS;
      if (u >= 1) {
        finish();
        return;
      }
      draw(lerpPoints(from, target, easeOut(u)));
      frame = requestAnimationFrame(step);
    };
    frame = requestAnimationFrame(step);
    return () => cancelAnimationFrame(frame);
  }, [target, spec, shownT]);

  const [hover, setHover] = useState<number | null>(null);
  const onPointer = (e: PointerEvent<SVGSVGElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const i = nearest(target, e.clientX - box.left - MARGIN.left, e.clientY - box.top - MARGIN.top, 14, order);
    setHover(i >= 0 ? i : null);
  };
  const hovered = hover !== null && hover < target.x.length && values ? hover : null;

  const xTicks = symlogTicks(domain.x, c, sx, 46);
  const yTicks = symlogTicks(domain.y, c, sy, 20);
  const diag = diagonal(domain);
  const a: [number, number] | null = diag && [sx(diag[0][0]), sy(diag[0][1])];
  const b: [number, number] | null = diag && [sx(diag[1][0]), sy(diag[1][1])];
  const memoryRegion = a && b ? halfPlane(a, b, [0, 0], innerW, innerH) : [];
  const labels = labelCandidates(a, b, innerW, innerH);
  const memorySpot = labelSpot(labels.memory, labels.inMemory, target, small, SIZE.dotHighlighted);
  const featureSpot = labelSpot(labels.feature, labels.inFeature, target, small, SIZE.dotHighlighted);
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
            {/* Under the dots: where a label cannot avoid them, the dots stay visible. */}
            <RegionLabel box={labels.memory[memorySpot]} title="memorization" sub="noise ≥ signal" />
            <RegionLabel box={labels.feature[featureSpot]} title="feature" sub="signal > noise" />
          </g>
        </svg>
        <canvas
          ref={canvasRef}
          className="race-layer race-canvas"
          width={Math.round(width * dpr)}
          height={Math.round(height * dpr)}
          style={{ width, height }}
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
  const width = useWidth(wrapRef);
  const { columns, facetWidth } = facetLayout(width, GAP);
  const { small } = data;
  const N = small.length;
  const { gd, gdm } = data.runs;
  const constant = useMemo(() => symlogConstant([gd, gdm], N), [gd, gdm, N]);
  const domain = raceDomain([gd, gdm], t, N, constant);
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
            Both axes are symmetric-log (linear within ±{tickLabel(constant)}, logarithmic beyond) and shared by the two runs; the
            signal part is the same for every example of one margin, so its dots are spread {JITTER_PX} px sideways to stay visible.
            Hover a dot for its numbers.
          </span>
        </>
      }
    >
      <div ref={wrapRef} className="race-facets" style={{ gridTemplateColumns: columns === 2 ? `repeat(2, ${facetWidth}px)` : `${facetWidth}px`, gap: GAP }}>
        {PAIR.map((run) => (
          <RaceFacet key={run} run={run} trace={data.runs[run]} small={small} order={order} t={t} domain={domain} width={facetWidth} />
        ))}
      </div>
    </PanelFrame>
  );
}
