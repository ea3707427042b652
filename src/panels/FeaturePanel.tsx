import { line, scaleLinear } from 'd3';
import { Fragment, useMemo, useRef } from 'react';
import type { RunTrace } from '../sim/trace';
import { Tex } from '../view/Tex';
import { RUN_STYLE, SIZE } from '../view/theme';
import { rowsUpTo } from './chart/series';
import { RunMarker } from './chart/RunMarker';
import { TimeFrame } from './chart/TimeFrame';
import { useFigureWidth } from './chart/useWidth';
import { timeDomain } from '../view/cursor';
import { type Point, featureDomain, filterLines, largeFittedStep } from './feature-series';
import { thresholdSeries } from '../sim/mechanism';
import { mechanismOf } from '../state/selectors';
import { featureCaption } from '../view/captions';
import { PanelFrame } from './Panel';
import { RunLegend } from './RunLegend';
import type { PanelProps } from '../view/panel-types';
import './timeseries.css';
import { drawnRuns } from '../state/panel-data';

const THIN_OPACITY = 0.4;

const path = line<Point>()
  .defined((p) => Number.isFinite(p[1]))
  .x((p) => p[0])
  .y((p) => p[1]);

/** A line with gaps where a value is missing. */
const gapped = line<[number, number | null]>()
  .defined((p) => p[1] !== null && Number.isFinite(p[1]))
  .x((p) => p[0])
  .y((p) => p[1] as number);

function FeatureLegend({ gamma }: { gamma: number }) {
  return (
    <>
      <RunLegend gamma={gamma} />
      <ul className="legend-list legend-marks" aria-label="Marks">
        <li>
          <svg width="30" height="12" aria-hidden="true" className="swatch">
            <line x1="1" y1="6" x2="29" y2="6" stroke="currentColor" strokeOpacity={0.6} strokeWidth={SIZE.thinLine} />
          </svg>
          thin: each filter, <Tex tex="c_r=\langle w_r, w^*\rangle" />
        </li>
        <li>
          <svg width="30" height="12" aria-hidden="true" className="swatch">
            <line x1="1" y1="6" x2="29" y2="6" stroke="currentColor" strokeWidth={SIZE.lineWidth + 0.5} />
          </svg>
          bold: the feature learned, <Tex tex="c=\max_r c_r" />
        </li>
        <li>
          <svg width="30" height="12" aria-hidden="true" className="swatch">
            <line x1="1" y1="6" x2="29" y2="6" stroke="currentColor" strokeWidth={1.25} strokeDasharray="1 3" strokeLinecap="round" />
          </svg>
          dotted: <Tex tex="c^*" />, the feature a typical small-margin example needs (<Tex tex="\beta^3 c^3" /> = its noise part)
        </li>
        <li>
          <svg width="30" height="12" aria-hidden="true" className="swatch">
            <circle cx="8" cy="6" r="4" fill="currentColor" />
            <rect x="18" y="2" width="8" height="8" fill="currentColor" />
          </svg>
          large-margin training examples all fitted (<Tex tex="y f > 0" />)
        </li>
      </ul>
    </>
  );
}

/**
 * Feature learning: c_r = <w_r, w*> for every filter (thin) and c = max_r c_r (bold), GD and GD+M on
 * one axis, drawn up to the shown step, with the step where each run's large-margin examples are fitted.
 */
export function FeaturePanel({ data, t, range, highlighted }: PanelProps) {
  const { config } = data;
  const { m } = config;
  const ref = useRef<HTMLDivElement>(null);
  const width = useFigureWidth(ref, 'feature');
  const domain = timeDomain(range, config.T);
  const [d0, d1] = domain;

  const present = drawnRuns(data).filter((run) => (data.runs[run]?.rows.length ?? 0) > 0);
  // y: the whole trace received inside the window (stable while the cursor moves; grows while training streams)
  const runs = data.runs;
  const yDomain = useMemo(() => featureDomain(drawnRuns({ runs }).flatMap((run) => runs[run] ?? []), m, [d0, d1]), [runs, m, d0, d1]);
  const y = useMemo(() => scaleLinear().domain(yDomain).nice(), [yDomain]);

  const shown = present.map((run) => {
    const trace = data.runs[run] as RunTrace;
    const rows = rowsUpTo(trace.rows, t);
    const fitted = largeFittedStep(rows);
    return {
      run,
      rows,
      last: rows.at(-1),
      filters: filterLines(trace, m, rows.length),
      bold: rows.map((r): Point => [r.t, r.cMax]),
      // c* per logged row: null where undefined, or above the plot (a gap, not a line along the top)
      threshold: thresholdSeries(trace, data.small, config.beta)
        .slice(0, rows.length)
        .map((v, k): [number, number | null] => [rows[k].t, v !== null && v <= yDomain[1] * 1.05 ? v : null]),
      fitted: fitted === null ? null : rows.find((r) => r.t === fitted)!,
    };
  });
  const readoutT = Math.max(-1, ...shown.map((s) => s.last?.t ?? -1));

  return (
    <PanelFrame
      id="feature"
      caption={featureCaption(mechanismOf(data), config, { gd: data.runs.gd?.rows.at(-1), gdm: data.runs.gdm?.rows.at(-1) })}
      legend={<FeatureLegend gamma={config.gamma} />}
      highlighted={highlighted}
    >
      <p className="readout" data-testid="feature-readout">
        {readoutT < 0 ? (
          'no steps logged yet'
        ) : (
          <>
            at t = {readoutT}: c ={' '}
            {shown.map((s, i) => (
              <Fragment key={s.run}>
                {i > 0 && ', '}
                <span className="nowrap">
                  <strong data-testid={`feature-c-${s.run}`} data-value={s.last ? String(s.last.cMax) : ''} data-t={s.last?.t}>
                    {s.last ? s.last.cMax.toFixed(2) : '–'}
                  </strong>{' '}
                  ({RUN_STYLE[s.run].label})
                </span>
              </Fragment>
            ))}
          </>
        )}
      </p>
      <div ref={ref}>
        <TimeFrame width={width} domain={domain} y={y} yLabel="c_r = ⟨w_r, w*⟩" t={t} label="feature learned over time: c_r and c for GD and GD+M">
          {({ x, y: ys, width: w, height: h }) => {
            const px = (pts: Point[]) => path(pts.map(([tt, v]): Point => [x(tt), ys(v)])) ?? '';
            const markers = shown
              .filter((s) => s.fitted)
              .map((s) => ({ run: s.run, t: s.fitted!.t, px: x(s.fitted!.t), py: ys(s.fitted!.cMax) }))
              .sort((a, b) => a.py - b.py);
            return (
              <>
                {shown.map((s) => (
                  <g key={`thin-${s.run}`} className="filters" data-run={s.run}>
                    {s.filters.map((pts, r) => (
                      <path
                        key={r}
                        className="line-filter"
                        data-run={s.run}
                        data-filter={r}
                        d={px(pts)}
                        fill="none"
                        stroke={RUN_STYLE[s.run].color}
                        strokeOpacity={THIN_OPACITY}
                        strokeWidth={SIZE.thinLine}
                        strokeDasharray={RUN_STYLE[s.run].dash}
                      >
                        <title>{`${RUN_STYLE[s.run].label}, filter r = ${r + 1}: c_r = ⟨w_r, w*⟩`}</title>
                      </path>
                    ))}
                  </g>
                ))}
                {shown.map((s) => (
                  <path
                    key={`threshold-${s.run}`}
                    className="line-threshold"
                    data-run={s.run}
                    d={gapped(s.threshold.map(([tt, v]): [number, number | null] => [x(tt), v === null ? null : ys(v)])) ?? ''}
                    fill="none"
                    stroke={RUN_STYLE[s.run].color}
                    strokeWidth={1.25}
                    strokeDasharray="1 3"
                    strokeLinecap="round"
                  >
                    <title>{`${RUN_STYLE[s.run].label}: c*, the feature at which β³c³ outweighs a typical small-margin example's noise part`}</title>
                  </path>
                ))}
                {shown.map((s) => (
                  <path
                    key={`bold-${s.run}`}
                    className="line-c"
                    data-run={s.run}
                    d={px(s.bold)}
                    fill="none"
                    stroke={RUN_STYLE[s.run].color}
                    strokeWidth={SIZE.lineWidth + 0.5}
                    strokeDasharray={RUN_STYLE[s.run].dash}
                    strokeLinejoin="round"
                  >
                    <title>{`${RUN_STYLE[s.run].label}: c = max_r c_r`}</title>
                  </path>
                ))}
                {markers.map((mk, i) => {
                  const label = `${RUN_STYLE[mk.run].label}: large margin fitted, t = ${mk.t}`;
                  const right = mk.px > w - 170;
                  // the upper marker labelled above it, the lower one below (so two labels do not meet), unless at an edge
                  const above = i === 0 ? mk.py > 16 : mk.py > h - 18;
                  const dy = above ? -11 : 16;
                  return (
                    <g key={mk.run} className="fitted" data-run={mk.run}>
                      <RunMarker run={mk.run} x={mk.px} y={mk.py} testId={`feature-fitted-${mk.run}`} title={label} />
                      <text className="mark-label" x={mk.px + (right ? -8 : 8)} y={mk.py + dy} textAnchor={right ? 'end' : 'start'} data-testid={`feature-fitted-label-${mk.run}`}>
                        {label}
                      </text>
                    </g>
                  );
                })}
              </>
            );
          }}
        </TimeFrame>
      </div>
    </PanelFrame>
  );
}
