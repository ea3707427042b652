import { RUN_STYLE } from '../view/theme';
import { type RunName } from '../sim/runs';

/** A run's line sample: its colour, its dash, its marker. */
export function RunSwatch({ run }: { run: RunName }) {
  const s = RUN_STYLE[run];
  return (
    <svg width="30" height="12" aria-hidden="true" className="swatch">
      <line x1="1" y1="6" x2="29" y2="6" stroke={s.color} strokeWidth="2.5" strokeDasharray={s.dash} />
      {s.marker === 'circle' ? <circle cx="15" cy="6" r="3.5" fill={s.color} /> : <rect x="11.5" y="2.5" width="7" height="7" fill={s.color} />}
    </svg>
  );
}

/** "GD — plain gradient descent, GD+M — with momentum γ": the legend for anything drawn per run. */
export function RunLegend({ gamma }: { gamma?: number }) {
  return (
    <ul className="legend-list" aria-label="Runs">
      <li>
        <RunSwatch run="gd" /> GD (plain gradient descent)
      </li>
      <li>
        <RunSwatch run="gdm" /> GD+M (momentum{gamma === undefined ? '' : ` γ = ${gamma}`})
      </li>
    </ul>
  );
}
