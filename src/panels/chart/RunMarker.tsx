import { RUN_STYLE } from '../../view/theme';
import { type RunName } from '../../sim/runs';

interface RunMarkerProps {
  run: RunName;
  x: number;
  y: number;
  /** Half the marker's width. */
  size?: number;
  testId?: string;
  /** Tooltip: what the marker marks. */
  title?: string;
}

/** A run's marker shape (circle for GD, square for GD+M, from RUN_STYLE) centred at (x, y). */
export function RunMarker({ run, x, y, size = 4.5, testId, title }: RunMarkerProps) {
  const s = RUN_STYLE[run];
  const common = { className: `marker marker-${run}`, fill: s.color, stroke: 'var(--bg)', strokeWidth: 1.5, 'data-testid': testId };
  const tip = title ? <title>{title}</title> : null;
  return s.marker === 'circle' ? (
    <circle cx={x} cy={y} r={size} {...common}>
      {tip}
    </circle>
  ) : (
    <rect x={x - size} y={y - size} width={2 * size} height={2 * size} {...common}>
      {tip}
    </rect>
  );
}
