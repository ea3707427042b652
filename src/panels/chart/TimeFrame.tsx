import { type ScaleContinuousNumeric, type ScaleLinear, scaleLinear } from 'd3';
import { type ReactNode, useId } from 'react';
import { SIZE } from '../../view/theme';
import { Axis } from './Axis';

/** A numeric y scale: linear by default, or log / symlog / pow for quantities over orders of magnitude. */
export type YScale = ScaleContinuousNumeric<number, number>;

export interface TimeScales<Y extends YScale = ScaleLinear<number, number>> {
  x: ScaleLinear<number, number>;
  y: Y;
  width: number;
  height: number;
}

interface TimeFrameProps<Y extends YScale> {
  /** Outer width of the SVG. */
  width: number;
  height?: number;
  /** Time domain (steps). */
  domain: readonly [number, number];
  /** y scale, domain set by the caller; its range is set here. */
  y: Y;
  yLabel: string;
  yFormat?: (v: number) => string;
  /** How many y ticks to ask d3 for (default 4). */
  yTicks?: number;
  /** The step the figure shows: a vertical rule. */
  t: number;
  /** An accessible name for the chart. */
  label: string;
  children: (scales: TimeScales<Y>) => ReactNode;
}

const stepFormat = (v: number) => String(v);

/**
 * The frame of every time-series chart: time on x (steps), a caller's y scale, axes with grid lines,
 * a clip for marks outside a story window, and the cursor rule at the shown step.
 */
export function TimeFrame<Y extends YScale = ScaleLinear<number, number>>({
  width,
  height = SIZE.chartHeight,
  domain,
  y,
  yLabel,
  yFormat,
  yTicks = 4,
  t,
  label,
  children,
}: TimeFrameProps<Y>) {
  const uid = useId();
  const { top, right, bottom, left } = SIZE.margin;
  const innerW = Math.max(10, width - left - right);
  const innerH = Math.max(10, height - top - bottom);
  const x = scaleLinear().domain(domain).range([0, innerW]);
  const yScaled = y.copy().range([innerH, 0]);
  // Unique per instance: two charts with the same label (facets, a panel shown twice) must not share a clip.
  const clipId = `clip-${label.replace(/\W+/g, '-')}-${uid.replace(/[^\w-]/g, '')}`;
  const cursorX = x(t);
  return (
    <svg className="chart" width={width} height={height} role="img" aria-label={label} viewBox={`0 0 ${width} ${height}`}>
      <defs>
        <clipPath id={clipId}>
          <rect width={innerW} height={innerH + 1} y={-0.5} />
        </clipPath>
      </defs>
      <g transform={`translate(${left},${top})`}>
        <Axis scale={yScaled} orient="left" label={yLabel} format={yFormat} grid={innerW} ticks={yTicks} />
        <Axis scale={x} orient="bottom" offset={innerH} label="step t" format={stepFormat} ticks={Math.max(2, Math.floor(innerW / 80))} />
        <g clipPath={`url(#${clipId})`}>{children({ x, y: yScaled, width: innerW, height: innerH })}</g>
        {cursorX >= 0 && cursorX <= innerW && (
          <line className="cursor" x1={cursorX} x2={cursorX} y1={0} y2={innerH} data-t={t}>
            <title>{`shown step t = ${t}`}</title>
          </line>
        )}
      </g>
    </svg>
  );
}
