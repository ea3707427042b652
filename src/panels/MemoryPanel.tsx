import { type ScaleLogarithmic, line, scaleLog } from 'd3';
import { Fragment, useMemo, useRef } from 'react';
import type { Config } from '../sim/params';
import type { TraceRow } from '../sim/trace';
import { Tex } from '../view/Tex';
import { MARGIN_STYLE, RUN_STYLE, STEP_STYLE } from '../view/theme';
import type { RunName } from '../sim/runs';
import { rowIndicesIn, rowsUpTo } from './chart/series';
import { TimeFrame } from './chart/TimeFrame';
import { useFigureWidth } from './chart/useWidth';
import { timeDomain } from '../view/cursor';
import { LOG_DECADES, atFloor, logAxis, powerOfTen, sci } from './memory-scale';
import { mechanismOf } from '../state/selectors';
import { memoryCaption } from '../view/captions';
import { PanelFrame } from './Panel';
import { RunSwatch } from './RunLegend';
import type { PanelProps } from '../view/panel-types';
import './timeseries.css';
import { drawnRuns } from '../state/panel-data';

type GradKey = 'gLarge' | 'gSmall' | 'gStep';

/** The three lines of a facet. The step direction is a wide translucent band under the two thin parts: a cue besides colour. */
const SERIES: readonly { key: GradKey; color: string; dash: string; width: number; opacity: number }[] = [
  { key: 'gStep', color: STEP_STYLE.color, dash: STEP_STYLE.dash, width: 6, opacity: 0.6 },
  { key: 'gLarge', color: MARGIN_STYLE.large.color, dash: MARGIN_STYLE.large.dash, width: 1.75, opacity: 1 },
  { key: 'gSmall', color: MARGIN_STYLE.small.color, dash: MARGIN_STYLE.small.dash, width: 2, opacity: 1 },
];

/** Facets side by side from this panel width on, stacked below it. */
const TWO_COLUMNS_FROM = 520;
const FACET_GAP = 12;

function seriesName(key: GradKey, run: RunName): string {
  if (key === 'gLarge') return 'large-margin part';
  if (key === 'gSmall') return 'small-margin part';
  return run === 'gd' ? 'step = current gradient' : 'momentum buffer';
}

function LineSwatch({ series: { color, dash, width, opacity } }: { series: (typeof SERIES)[number] }) {
  return (
    <svg width="30" height="12" aria-hidden="true" className="swatch">
      <line x1="1" y1="6" x2="29" y2="6" stroke={color} strokeDasharray={dash} strokeWidth={width} strokeOpacity={opacity} />
    </svg>
  );
}

function MemoryLegend({ config, floor }: { config: Config; floor: number }) {
  const [step, large, small] = SERIES;
  const heavy = config.momentumForm === 'heavyball';
  return (
    <>
      <ul className="legend-list legend-rows" aria-label="Lines">
        <li>
          <LineSwatch series={large} />
          <span>
            large-margin part <Tex tex="-\tfrac{1}{N}\sum_{i:\,\text{large}} \langle\nabla_{w_{r^*}}\ell_i, w^*\rangle" />
          </span>
        </li>
        <li>
          <LineSwatch series={small} />
          <span>
            small-margin part <Tex tex="-\tfrac{1}{N}\sum_{i:\,\text{small}} \langle\nabla_{w_{r^*}}\ell_i, w^*\rangle" />
          </span>
        </li>
        <li>
          <LineSwatch series={step} />
          {heavy ? (
            <span>
              step direction: GD+M&apos;s buffer <Tex tex="-\langle v_t, w^*\rangle" /> with <Tex tex="v_t=\gamma v_{t-1}+\nabla L(W_t)" /> (heavy
              ball); GD&apos;s is the current gradient (large + small)
            </span>
          ) : (
            <span>
              step direction: GD+M&apos;s buffer <Tex tex="-\langle g_t, w^*\rangle" /> with <Tex tex="g_t=\gamma g_{t-1}+(1-\gamma)\nabla L(W_t)" />;
              GD&apos;s is the current gradient (large + small)
            </span>
          )}
        </li>
      </ul>
      <p className="note">
        At the filter r* that holds c; positive pushes c up.{' '}
        {heavy && `Heavy-ball form: the buffer settles near 1/(1−γ) = ${+(1 / (1 - config.gamma)).toFixed(1)} times the gradient. `}
        Log scale: values at or below {powerOfTen(floor)} (an exact 0 included) are drawn on the dotted floor line.
      </p>
    </>
  );
}

interface FacetProps {
  run: RunName;
  rows: readonly TraceRow[] | null;
  width: number;
  domain: readonly [number, number];
  y: ScaleLogarithmic<number, number>;
  floor: number;
  t: number;
}

function Facet({ run, rows, width, domain, y, floor, t }: FacetProps) {
  const style = RUN_STYLE[run];
  const shown = rows ? rowsUpTo(rows, t) : [];
  const last = shown.at(-1);
  /** The top of the shared axis: readouts far below it read "≈ 0". */
  const scale = y.domain()[1];
  const yFormat = (v: number) => (Math.abs(v / floor - 1) < 1e-6 ? `≤${powerOfTen(v)}` : powerOfTen(v));
  return (
    <section className="facet" data-run={run} aria-label={`${style.label}: gradient along w*`}>
      <h4 className="facet-title">
        <RunSwatch run={run} /> {style.label}
      </h4>
      <p className="readout" data-testid={`memory-readout-${run}`}>
        {last ? (
          <>
            at t = {last.t}:{' '}
            {(['gLarge', 'gSmall', 'gStep'] as const).map((key, i) => (
              <Fragment key={key}>
                {i > 0 && ' · '}
                <span className="nowrap">
                  {key === 'gLarge' ? 'large' : key === 'gSmall' ? 'small' : run === 'gd' ? 'step' : 'buffer'}{' '}
                  <strong data-testid={`memory-${key}-${run}`} data-value={String(last[key])} data-t={last.t}>
                    {sci(last[key], scale)}
                  </strong>
                </span>
              </Fragment>
            ))}
          </>
        ) : (
          'no steps logged yet'
        )}
      </p>
      <TimeFrame
        width={width}
        domain={domain}
        y={y}
        yLabel="−⟨∇L, w*⟩ at r*"
        yFormat={yFormat}
        yTicks={LOG_DECADES}
        t={t}
        label={`memory, ${style.label}: gradient along w* over time`}
      >
        {({ x, y: ys, width: w }) => {
          const yFloor = ys(floor);
          return (
            <>
              <line className="floor-line" x1={0} x2={w} y1={yFloor} y2={yFloor}>
                <title>{`floor: values at or below ${powerOfTen(floor)}, and exact zeros, are drawn on this line`}</title>
              </line>
              <text className="floor-label" x={w - 4} y={yFloor - 4} textAnchor="end">
                {`≤ ${powerOfTen(floor)} or 0`}
              </text>
              {shown.length > 0 &&
                SERIES.map((s) => {
                  const path = line<TraceRow>()
                    .defined((r) => atFloor(r[s.key], floor) !== null)
                    .x((r) => x(r.t))
                    .y((r) => ys(atFloor(r[s.key], floor)!));
                  return (
                    <path
                      key={s.key}
                      className={`line-${s.key}`}
                      data-run={run}
                      d={path(shown) ?? ''}
                      fill="none"
                      stroke={s.color}
                      strokeWidth={s.width}
                      strokeOpacity={s.opacity}
                      strokeDasharray={s.dash}
                      strokeLinejoin="round"
                      strokeLinecap={s.key === 'gStep' ? 'round' : 'butt'}
                    >
                      <title>{`${style.label}: ${seriesName(s.key, run)}, minus the gradient along w* at r*`}</title>
                    </path>
                  );
                })}
            </>
          );
        }}
      </TimeFrame>
    </section>
  );
}

/**
 * Memory: the push along w* on the filter r* that holds c, split into what the large- and the
 * small-margin examples contribute now, and the direction the optimizer actually steps (GD+M: its
 * momentum buffer, the historical gradients). One facet per run, on shared log axes.
 */
export function MemoryPanel({ data, t, range, highlighted }: PanelProps) {
  const { config } = data;
  const ref = useRef<HTMLDivElement>(null);
  const width = useFigureWidth(ref, 'memory');
  const columns = width >= TWO_COLUMNS_FROM ? 2 : 1;
  const facetWidth = columns === 2 ? Math.floor((width - FACET_GAP) / 2) : width;
  const domain = timeDomain(range, config.T);
  const [d0, d1] = domain;

  // y: the whole trace received inside the window, both runs (shared, and stable while the cursor moves)
  const runs = data.runs;
  const axis = useMemo(() => {
    function* values() {
      for (const run of drawnRuns({ runs })) {
        const rows = runs[run]?.rows ?? [];
        for (const k of rowIndicesIn(rows, [d0, d1])) for (const s of SERIES) yield rows[k][s.key];
      }
    }
    return logAxis(values());
  }, [runs, d0, d1]);
  const y = useMemo(() => scaleLog().domain(axis.domain), [axis]);

  return (
    <PanelFrame
      id="memory"
      caption={memoryCaption(mechanismOf(data), config)}
      legend={<MemoryLegend config={config} floor={axis.floor} />}
      highlighted={highlighted}
    >
      <div ref={ref} className="facets" style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`, columnGap: FACET_GAP }}>
        {drawnRuns(data).map((run) => (
          <Facet key={run} run={run} rows={data.runs[run]?.rows ?? null} width={facetWidth} domain={domain} y={y} floor={axis.floor} t={t} />
        ))}
      </div>
    </PanelFrame>
  );
}
