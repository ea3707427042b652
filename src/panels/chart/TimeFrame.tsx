import { type ScaleLinear, scaleLinear } from 'd3';
import type { ReactNode } from 'react';
import { SIZE } from '../../ui/theme';
import { Axis } from './Axis';

export interface TimeScales {
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
  width: number;
  height: number;
}

interface TimeFrameProps {
  /** Outer width of the SVG. */
  width: number;
  height?: number;
  /** Time domain (steps). */
  domain: readonly [number, number];
  /** y scale, domain set by the caller; its range is set here. */
  y: ScaleLinear<number, number>;
  yLabel: string;
  yFormat?: (v: number) => string;
  /** The step the figure shows: a vertical rule. */
  t: number;
  /** An accessible name for the chart. */
  label: string;
  children: (scales: TimeScales) => ReactNode;
}

const stepFormat = (v: number) => String(v);

/**
 * The frame of every time-series chart: time on x (steps), a caller's y scale, axes with grid lines,
 * a clip for marks outside a story window, and the cursor rule at the shown step.
 */
export function TimeFrame({ width, height = SIZE.chartHeight, domain, y, yLabel, yFormat, t, label, children }: TimeFrameProps) {
  const { top, right, bottom, left } = SIZE.margin;
  const innerW = Math.max(10, width - left - right);
  const innerH = Math.max(10, height - top - bottom);
  const x = scaleLinear().domain(domain).range([0, innerW]);
  const yScaled = y.copy().range([innerH, 0]);
  const clipId = `clip-${label.replace(/\W+/g, '-')}`;
  const cursorX = x(t);
  return (
    <svg className="chart" width={width} height={height} role="img" aria-label={label} viewBox={`0 0 ${width} ${height}`}>
      <defs>
        <clipPath id={clipId}>
          <rect width={innerW} height={innerH + 1} y={-0.5} />
        </clipPath>
      </defs>
      <g transform={`translate(${left},${top})`}>
        <Axis scale={yScaled} orient="left" label={yLabel} format={yFormat} grid={innerW} ticks={4} />
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
