import { useId, useMemo, useRef, useState } from 'react';
import { type SweepCell, summarizeMap, sweepCells, sweepRunCount, sweepSeeds } from '../sim/sweep';
import { phaseWords } from '../view/captions';
import { Tex } from '../view/Tex';
import { useFigureWidth } from './chart/useWidth';
import { PanelFrame } from './Panel';
import { PHASE_METRICS, type PhaseMetric, phaseMetrics, axisPosition, cellValue, exactCell, formatCell, phaseColor, phaseExtent, phaseLayout, textOn } from './phase-layout';
import type { SweepView } from '../state/sweep';
import type { PanelProps } from '../view/panel-types';
import './phase.css';

const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : 'diverged');
const fixed2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : 'diverged');

/** Every number of a cell, in words: the tooltip and the cell button's accessible name. */
export function describeCell(cell: SweepCell): string {
  const points = Number.isFinite(cell.gap) ? `${(cell.gap * 100).toFixed(1)} points` : 'n/a';
  return (
    `γ = ${cell.gamma}, β = ${cell.beta}: test error GD+M ${pct(cell.gdm.testErr)} (small margin ${pct(cell.gdm.testErrSmall)}), ` +
    `GD ${pct(cell.gd.testErr)} (small margin ${pct(cell.gd.testErrSmall)}); gap ${points}; ` +
    `feature c: GD+M ${fixed2(cell.gdm.cMax)}, GD ${fixed2(cell.gd.cMax)}` +
    (cell.seeds > 1 ? `; means over ${cell.seeds} seeds, ${cell.seedsWithGap} of them with a gap above μ/4` : '')
  );
}

function statusText(sweep: SweepView): string | undefined {
  const runs = sweep.trace ? sweepRunCount(sweep.trace.grid, sweepSeeds(sweep.trace)) : 0;
  const rate = sweep.runStepsPerSecond ? `, ${Math.round(sweep.runStepsPerSecond).toLocaleString('en-US')} run-steps/s` : '';
  switch (sweep.status) {
    case 'waiting':
      // No trace yet: nothing is queued, so there is no run count to promise.
      return runs ? `Waiting for the live runs to finish, then ${runs} runs train here for this map.` : 'Waiting for the live runs to finish.';
    case 'paused':
      return `Paused at step ${sweep.t} of ${sweep.T} while the live runs train.`;
    case 'running':
      return `Training ${runs} runs in this browser: step ${sweep.t} of ${sweep.T}${rate}.`;
    case 'error':
      return `The map could not be computed: ${sweep.error ?? 'unknown error'}.`;
    case 'done': {
      const wall = sweep.wallMs ? ` in ${(sweep.wallMs / 1000).toFixed(1)} s` : '';
      return sweep.source === 'precomputed'
        ? `Computed when the page was built (${sweep.engine ?? 'Node'})${wall}, same engine as this page.`
        : `Computed in this browser${sweep.engine ? ` (${sweep.engine})` : ''}${wall}${rate}.`;
    }
  }
}

/**
 * The phase diagram: test error of GD+M, of GD, or their gap over a (gamma, beta) grid, the other
 * parameters as in the current view, with the current setting marked. Cells are buttons: hovering or
 * focusing one shows its numbers, clicking loads it into the live view.
 */
export function PhasePanel({ data, highlighted, actions }: PanelProps) {
  const { sweep, config } = data;
  const ref = useRef<HTMLDivElement>(null);
  const width = useFigureWidth(ref, 'phase');
  const [chosen, setMetric] = useState<PhaseMetric>('gap');
  // A grid position, not a cell: the readout follows the map while it is still being computed.
  const [hover, setHover] = useState<{ g: number; b: number } | null>(null);
  const name = useId();
  const trace = sweep?.trace ?? null;
  const S = trace ? sweepSeeds(trace) : 1;
  // A map of one seed has no seed count: the choice falls back to the gap.
  const metric: PhaseMetric = chosen === 'seeds' && S < 2 ? 'gap' : chosen;
  const cells = useMemo(() => (trace ? sweepCells(trace) : []), [trace]);
  const shownT = trace?.ts.at(-1) ?? 0;
  const hovered = hover ? (cells[hover.b]?.[hover.g] ?? null) : null;
  // The map's own horizon (the view's config may lag behind it for a moment after a change).
  const mapT = trace?.base.T ?? config.T;
  const extent = useMemo(() => phaseExtent(cells, metric), [cells, metric]);
  const color = useMemo(() => phaseColor(metric, extent), [metric, extent]);

  const body = (() => {
    if (!trace || !sweep) return <p className="note">No map for this setting yet.</p>;
    const { grid } = trace;
    const L = phaseLayout(grid, width);
    const cx = (g: number) => L.margin.left + L.x(g) + L.cellWidth / 2;
    const cy = (b: number) => L.margin.top + L.y(b) + L.cellHeight / 2;
    const step = (a: number, size: number, at: (i: number) => number) => {
      const k = Math.floor(a);
      return k >= size - 1 ? at(size - 1) : at(k) + (a - k) * (at(k + 1) - at(k));
    };
    const gPos = axisPosition(grid.gammas, config.gamma);
    const bPos = axisPosition(grid.betas, config.beta);
    const exact = exactCell(grid, config.gamma, config.beta);
    const marker = { x: step(gPos.at, grid.gammas.length, cx), y: step(bPos.at, grid.betas.length, cy), outside: gPos.outside || bPos.outside };
    return (
      <div className="phase-plot">
        <svg width={L.width} height={L.height} role="img" aria-label={`Map of ${PHASE_METRICS.find((m) => m.id === metric)!.what} over γ and β at step ${shownT}`}>
          <g className="phase-cells">
            {cells.flatMap((row, b) =>
              row.map((cell, g) => {
                const v = cellValue(cell, metric);
                const fill = cells.length && trace.ts.length ? color(v) : 'transparent';
                return (
                  <g key={`${g}-${b}`} data-cell={`${cell.gamma},${cell.beta}`} data-value={v}>
                    <rect x={L.margin.left + L.x(g)} y={L.margin.top + L.y(b)} width={L.cellWidth} height={L.cellHeight} fill={fill} />
                    <text x={cx(g)} y={cy(b)} fill={textOn(fill)} textAnchor="middle" dominantBaseline="central" className="phase-value">
                      {formatCell(v, metric, S)}
                    </text>
                  </g>
                );
              }),
            )}
          </g>
          <g className="phase-axis phase-axis-x">
            {grid.gammas.map((gamma, g) => (
              <text key={gamma} x={cx(g)} y={L.height - L.margin.bottom + 15} textAnchor="middle">
                {gamma}
              </text>
            ))}
            <text x={L.margin.left + (L.width - L.margin.left - L.margin.right) / 2} y={L.height - 4} textAnchor="middle" className="phase-axis-title">
              momentum γ
            </text>
          </g>
          <g className="phase-axis phase-axis-y">
            {grid.betas.map((beta, b) => (
              <text key={beta} x={L.margin.left - 6} y={cy(b)} textAnchor="end" dominantBaseline="central">
                {beta}
              </text>
            ))}
            <text transform={`translate(12 ${L.margin.top + (L.height - L.margin.top - L.margin.bottom) / 2}) rotate(-90)`} textAnchor="middle" className="phase-axis-title">
              small margin β
            </text>
          </g>
          {exact ? (
            <rect
              className="phase-current"
              x={L.margin.left + L.x(exact.g) - 2}
              y={L.margin.top + L.y(exact.b) - 2}
              width={L.cellWidth + 4}
              height={L.cellHeight + 4}
            >
              <title>the current setting</title>
            </rect>
          ) : (
            <circle
              className={`phase-current${marker.outside ? ' outside' : ''}`}
              cx={marker.x}
              cy={marker.y}
              r={7}
              // an attribute, not only CSS: the dash is the marker's meaning (shown at the edge, not at its value)
              strokeDasharray={marker.outside ? '3 2' : undefined}
            >
              <title>{marker.outside ? 'the current setting lies outside the grid (shown at its edge)' : 'the current setting, between grid values'}</title>
            </circle>
          )}
        </svg>
        <div className="phase-buttons" style={{ width: L.width, height: L.height }}>
          {/* in reading order: the top row (largest beta) first, as the eye and the Tab key go */}
          {[...cells.entries()].reverse().flatMap(([b, row]) =>
            row.map((cell, g) => (
              <button
                key={`${g}-${b}`}
                type="button"
                className="phase-cell"
                style={{ left: L.margin.left + L.x(g), top: L.margin.top + L.y(b), width: L.cellWidth, height: L.cellHeight }}
                aria-label={`${describeCell(cell)}. Load this setting.`}
                onMouseEnter={() => setHover({ g, b })}
                onMouseLeave={() => setHover(null)}
                onFocus={() => setHover({ g, b })}
                onBlur={() => setHover(null)}
                onClick={() => actions?.pick?.(cell.gamma, cell.beta)}
              />
            )),
          )}
        </div>
        <p className="phase-readout" aria-live="polite" data-testid="phase-readout">
          {hovered ? describeCell(hovered) : 'Hover or focus a cell for its numbers; click it to load that setting.'}
        </p>
      </div>
    );
  })();

  return (
    <PanelFrame
      id="phase"
      highlighted={highlighted}
      legend={
        <div className="phase-controls">
          <fieldset className="phase-metric">
            <legend>Colour shows</legend>
            {phaseMetrics(S).map((m) => (
              <label key={m.id} title={m.what}>
                <input type="radio" name={name} value={m.id} checked={metric === m.id} onChange={() => setMetric(m.id)} />
                {m.id === 'gap' ? 'gap (GD − GD+M)' : m.id === 'seeds' ? `seeds with a gap > μ/4 (of ${S})` : `${m.label} test error`}
              </label>
            ))}
          </fieldset>
          <PhaseKey metric={metric} extent={extent} />
        </div>
      }
      caption={
        <>
          Test error after <Tex tex={`T=${mapT}`} /> steps for every cell of the grid, every other parameter as in this view
          {trace && shownT < mapT ? ` (so far: step ${shownT})` : ''}
          {S > 1 ? `, each cell the mean over ${S} seeds (${trace!.base.seed}–${trace!.base.seed + S - 1})` : ''}.
          {metric === 'seeds' ? ` The numbers count the seeds on which GD's test error exceeds GD+M's by more than μ/4 = ${formatCell(data.config.mu / 4, 'gdm')} points, half the largest possible gap.` : ''}{' '}
          {cells.length ? phaseWords(summarizeMap(cells), data.config.mu) : ''} The
          framed cell or ring is the current setting.
        </>
      }
    >
      <div ref={ref} className="phase-body" data-testid="phase" data-status={sweep?.status ?? 'none'} data-source={sweep?.source ?? ''} data-t={shownT}>
        {body}
        {sweep && (
          <p className="phase-status" role="status" data-testid="phase-status">
            {statusText(sweep)}{' '}
            {actions?.computeMap && (sweep.status === 'done' || sweep.status === 'error') && (
              <button type="button" className="phase-compute" onClick={actions.computeMap}>
                {sweep.source === 'precomputed' ? 'Compute it here' : 'Compute again'}
              </button>
            )}
          </p>
        )}
      </div>
    </PanelFrame>
  );
}

/** The colour key of the shown metric: a gradient bar labelled at its ends and middle. */
function PhaseKey({ metric, extent }: { metric: PhaseMetric; extent: number }) {
  const color = phaseColor(metric, extent);
  const stops = [0, 0.25, 0.5, 0.75, 1].map((f) => (metric === 'gap' ? -extent + 2 * extent * f : extent * f));
  // Unique per figure (two maps on a page may have different extents); url(#...) wants a plain id.
  const id = `phase-key-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const pts = Math.round(extent * 100);
  const labels =
    metric === 'seeds'
      ? ['no seed', `${extent / 2} seeds`, `all ${extent} seeds`]
      : metric === 'gap'
        ? [`−${pts} (GD better)`, '0', `+${pts} (GD+M better)`]
        : ['0%', `${(extent * 50).toFixed(1)}%`, `${(extent * 100).toFixed(1)}%`];
  return (
    <svg className="phase-key" width={300} height={30} role="img" aria-label={`colour key: ${labels.join(', ')}`}>
      <defs>
        <linearGradient id={id}>
          {stops.map((v, i) => (
            <stop key={i} offset={`${i * 25}%`} stopColor={color(v)} />
          ))}
        </linearGradient>
      </defs>
      <rect x={2} y={2} width={296} height={10} fill={`url(#${id})`} />
      <text x={2} y={26} textAnchor="start">
        {labels[0]}
      </text>
      <text x={150} y={26} textAnchor="middle">
        {labels[1]}
      </text>
      <text x={298} y={26} textAnchor="end">
        {labels[2]}
      </text>
    </svg>
  );
}
