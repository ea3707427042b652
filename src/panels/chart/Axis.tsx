import { type AxisDomain, type AxisScale, axisBottom, axisLeft, select } from 'd3';
import { useLayoutEffect, useRef } from 'react';

interface AxisProps<D extends AxisDomain> {
  scale: AxisScale<D>;
  orient: 'bottom' | 'left';
  /** Where the axis sits: the plot's height for a bottom axis, 0 for a left one. */
  offset?: number;
  ticks?: number;
  format?: (value: D) => string;
  /** The axis title, drawn at the end of the axis. */
  label?: string;
  /** Extent of the plot across the axis, for grid lines; 0 for none. */
  grid?: number;
}

/** A d3 axis in a React-owned <g>: d3-axis draws ticks and labels, React owns the element. */
export function Axis<D extends AxisDomain>({ scale, orient, offset = 0, ticks = 5, format, label, grid = 0 }: AxisProps<D>) {
  const ref = useRef<SVGGElement>(null);
  // Charts build new scale objects on every render (the cursor moves many times a second), but the
  // axis only changes when the numbers do: redraw it then, not on every frame.
  const drawn = useRef('');
  const key = `${orient}|${ticks}|${grid}|${scale.domain().join()}|${scale.range().join()}|${format?.toString() ?? ''}`;
  useLayoutEffect(() => {
    if (!ref.current || drawn.current === key) return;
    drawn.current = key;
    const axis = (orient === 'bottom' ? axisBottom(scale) : axisLeft(scale)).ticks(ticks);
    if (format) axis.tickFormat((v) => format(v as D));
    if (grid) axis.tickSizeInner(-grid);
    select(ref.current).call(axis);
  });
  const range = scale.range();
  const end = Math.max(range[0], range[range.length - 1]);
  return (
    <g className={`axis axis-${orient}${grid ? ' axis-grid' : ''}`} transform={orient === 'bottom' ? `translate(0,${offset})` : `translate(${offset},0)`}>
      <g ref={ref} />
      {label &&
        (orient === 'bottom' ? (
          <text className="axis-label" x={end} y={30} textAnchor="end">
            {label}
          </text>
        ) : (
          <text className="axis-label" x={4} y={Math.min(range[0], range[range.length - 1])} dy="0.8em">
            {label}
          </text>
        ))}
    </g>
  );
}
