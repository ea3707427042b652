import { area, line, scaleLinear } from 'd3';
import { useMemo, useRef } from 'react';
import type { TraceRow } from '../sim/trace';
import { Tex } from '../view/Tex';
import { MARGIN_STYLE, RUN_STYLE, SIZE } from '../view/theme';
import type { RunName } from '../sim/runs';
import { TimeFrame } from './chart/TimeFrame';
import { useFigureWidth } from './chart/useWidth';
import { timeDomain } from '../view/cursor';
import { ERROR_FACETS, type ErrorFacet, type ErrorField, formatError, rowAt, rowsUpTo } from './errors-series';
import { PanelFrame } from './Panel';
import { RunLegend } from './RunLegend';
import type { PanelProps } from '../view/panel-types';
import { type PanelData, drawnRuns } from '../state/panel-data';
import { mechanismOf } from '../state/selectors';
import { errorsCaption } from '../view/captions';
import './errors.css';

const FACET_HEIGHT = 160;
const GRID_GAP = 12;
/** Below this width the 2 x 2 grid becomes one column (a facet would be too narrow to read). */
const TWO_COLUMNS_MIN = 440;
const percent = (v: number) => `${Math.round(v * 100)}%`;

/** A run's marker (circle for GD, square for GD+M) as a tiny inline symbol for readouts. */
function RunMark({ run }: { run: RunName }) {
  const s = RUN_STYLE[run];
  return (
    <svg width="10" height="10" aria-hidden="true" className="errors-mark">
      {s.marker === 'circle' ? <circle cx="5" cy="5" r="4" fill={s.color} /> : <rect x="1" y="1" width="8" height="8" fill={s.color} />}
    </svg>
  );
}

function Readout({ field, run, row }: { field: keyof TraceRow; run: RunName; row: TraceRow | null }) {
  const value = row ? row[field] : null;
  return (
    <span className="errors-readout">
      <RunMark run={run} /> {RUN_STYLE[run].label}{' '}
      <span className="errors-value" data-testid={`errors-${field}-${run}`} data-value={value === null ? '' : String(value)}>
        {formatError(value)}
      </span>
    </span>
  );
}

function Facet({ facet, data, t, domain, width }: { facet: ErrorFacet; data: PanelData; t: number; domain: [number, number]; width: number }) {
  const y = useMemo(() => scaleLinear().domain([-0.03, 1.03]), []);
  const { field, split, title } = facet;
  const what = `${split} error of ${MARGIN_STYLE[facet.margin].label.replace(/ \(.*\)/, '')} examples`;
  return (
    <div className={`errors-facet errors-facet-${split}-${facet.margin}`} data-facet={field}>
      <div className="errors-facet-head">
        <h4 className="errors-facet-title">
          <span className={`errors-margin-key errors-margin-${facet.margin}`} style={{ background: MARGIN_STYLE[facet.margin].color }} aria-hidden="true" />
          {title}
        </h4>
        <span className="errors-facet-readouts">
          {drawnRuns(data).map((run) => (
            <Readout key={run} field={field} run={run} row={rowAt(data.runs[run]?.rows, t)} />
          ))}
        </span>
      </div>
      <TimeFrame width={width} height={FACET_HEIGHT} domain={domain} y={y} yLabel="error" yFormat={percent} t={t} label={`${title}: GD and GD+M`}>
        {(s) => (
          <>
            {split === 'test' && (
              <g className="errors-chance">
                <title>chance level: a coin flip misclassifies 50 % of the examples</title>
                <line x1={0} x2={s.width} y1={s.y(0.5)} y2={s.y(0.5)} />
                <text x={s.width - 3} y={s.y(0.5) - 3} textAnchor="end">
                  chance
                </text>
              </g>
            )}
            {split === 'test' &&
              data.seeds &&
              drawnRuns(data).map((run) => <SeedBand key={`band-${run}`} run={run} data={data} field={field as 'testErrSmall' | 'testErrLarge'} t={t} x={s.x} y={s.y} />)}
            {drawnRuns(data).map((run) => (
              <RunLine key={run} run={run} rows={data.runs[run]?.rows ?? []} field={field} t={t} x={s.x} y={s.y} what={what} />
            ))}
          </>
        )}
      </TimeFrame>
    </div>
  );
}

/**
 * A run's range over the seeds done (min to max at each logged step, up to the shown step), under
 * its line: how much of the curve one seed's luck could account for.
 */
function SeedBand({ run, data, field, t, x, y }: { run: RunName; data: PanelData; field: 'testErrSmall' | 'testErrLarge'; t: number; x: (v: number) => number; y: (v: number) => number }) {
  const over = data.seeds?.runs[run];
  if (!over || over.seeds.length < 2) return null;
  const { min, max } = over.band[field];
  const K = over.ts.filter((s) => s <= t).length;
  const ks = Array.from({ length: K }, (_, k) => k).filter((k) => Number.isFinite(min[k]) && Number.isFinite(max[k]));
  const d =
    area<number>()
      .x((k) => x(over.ts[k]))
      .y0((k) => y(min[k]))
      .y1((k) => y(max[k]))(ks) ?? '';
  return (
    <path className="errors-band" d={d} fill={RUN_STYLE[run].color} fillOpacity={0.16} stroke="none" data-run={run} data-seeds={over.seeds.length}>
      <title>{`${RUN_STYLE[run].label}: range over ${over.seeds.length} seeds`}</title>
    </path>
  );
}

interface RunLineProps {
  run: RunName;
  rows: readonly TraceRow[];
  field: ErrorField;
  t: number;
  x: (v: number) => number;
  y: (v: number) => number;
  what: string;
}

/** One run's error line up to the shown step, and its marker at the shown row. */
function RunLine({ run, rows, field, t, x, y, what }: RunLineProps) {
  const shown = rowsUpTo(rows, t);
  const style = RUN_STYLE[run];
  const path =
    line<TraceRow>()
      .defined((r) => Number.isFinite(r[field]))
      .x((r) => x(r.t))
      .y((r) => y(r[field]))(shown) ?? '';
  const last = shown.at(-1);
  const name = `${RUN_STYLE[run].label}: ${what}`;
  return (
    <g className={`errors-run errors-run-${run}`} data-run={run}>
      <path
        className="errors-line"
        d={path}
        fill="none"
        stroke={style.color}
        strokeWidth={SIZE.lineWidth}
        strokeDasharray={style.dash}
        data-run={run}
        data-points={shown.length}
      >
        <title>{name}</title>
      </path>
      {last && Number.isFinite(last[field]) && (
        <g className="errors-marker" transform={`translate(${x(last.t)},${y(last[field])})`} data-run={run}>
          <title>{`${name} at step ${last.t}: ${formatError(last[field])}`}</title>
          {style.marker === 'circle' ? <circle r={4} fill={style.color} /> : <rect x={-3.5} y={-3.5} width={7} height={7} fill={style.color} />}
        </g>
      )}
    </g>
  );
}

/**
 * Train and test error over time, each split into large- and small-margin examples, for both runs:
 * four small multiples on one 0-100 % scale. Lines end at the shown step.
 */
export function ErrorsPanel({ data, t, range, highlighted }: PanelProps) {
  const ref = useRef<HTMLDivElement>(null);
  const width = useFigureWidth(ref, 'errors');
  const twoColumns = width >= TWO_COLUMNS_MIN;
  const facetWidth = twoColumns ? Math.floor((width - GRID_GAP) / 2) : width;
  const domain = timeDomain(range, data.config.T);
  const legend = (
    <>
      <RunLegend gamma={data.config.gamma} />
      <p className="errors-definition">
        error: the fraction of examples the network gets wrong, <Tex tex="y\,f(X) \le 0" />; test error on {data.config.Ntest} fresh
        examples from the same distribution. Dotted: chance (50 %).
        {data.seeds && data.seeds.done > 1
          ? ` Lines: seed ${data.config.seed}; shaded: each run's range over ${data.seeds.done === data.seeds.S ? `all ${data.seeds.S} seeds` : `the ${data.seeds.done} of ${data.seeds.S} seeds done`} (min to max; test error only).`
          : ''}
      </p>
    </>
  );
  return (
    <PanelFrame
      id="errors"
      highlighted={highlighted}
      legend={legend}
      caption={errorsCaption(mechanismOf(data), { gd: data.runs.gd?.rows.at(-1), gdm: data.runs.gdm?.rows.at(-1) })}
    >
      <p className="errors-overall">
        at step <span data-testid="errors-t" data-value={t}>{t}</span>, all examples:{' '}
        {drawnRuns(data).map((run) => {
          const row = rowAt(data.runs[run]?.rows, t);
          return (
            <span key={run} className="errors-overall-run">
              <Readout field="trainErr" run={run} row={row} /> train,{' '}
              <span className="errors-value" data-testid={`errors-testErr-${run}`} data-value={row ? String(row.testErr) : ''}>
                {formatError(row?.testErr)}
              </span>{' '}
              test
            </span>
          );
        })}
      </p>
      <div ref={ref} className={`errors-grid ${twoColumns ? 'errors-grid-2' : 'errors-grid-1'}`} style={{ gap: GRID_GAP }}>
        {ERROR_FACETS.map((facet) => (
          <Facet key={facet.field} facet={facet} data={data} t={t} domain={domain} width={facetWidth} />
        ))}
      </div>
    </PanelFrame>
  );
}
