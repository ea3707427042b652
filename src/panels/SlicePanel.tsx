import { line, scaleLinear } from 'd3';
import { useRef } from 'react';
import { pct } from '../view/format';
import type { PanelProps } from '../view/panel-types';
import { RUN_STYLE, SIZE } from '../view/theme';
import { Axis } from './chart/Axis';
import { useFigureWidth } from './chart/useWidth';
import { PanelFrame } from './Panel';
import { RunLegend } from './RunLegend';
import { type SlicePoint, sliceAt, sliceWords } from './slice-layout';

const HEIGHT = 200;

/**
 * The map in one line: GD's and GD+M's test error against beta at the current gamma, with each
 * run's critical beta marked (its error crosses half the largest possible gap). From the phase map's
 * own cells: no training of its own.
 */
export function SlicePanel({ data, highlighted }: PanelProps) {
  const ref = useRef<HTMLDivElement>(null);
  const width = useFigureWidth(ref, 'slice');
  const { config, sweep } = data;
  const slice = sweep?.trace?.ts.length ? sliceAt(sweep.trace, config.gamma, config.mu) : null;
  const M = SIZE.margin;
  const w = Math.max(120, width - M.left - M.right);
  const betas = slice?.points.map((p) => p.beta) ?? [0, 1];
  const x = scaleLinear().domain([Math.min(...betas), Math.max(...betas)]).range([0, w]);
  const yMax = Math.max(config.mu / 2, ...(slice?.points.flatMap((p) => [p.gd, p.gdm]) ?? [0])) * 1.05 || 0.5;
  const y = scaleLinear().domain([0, yMax]).range([HEIGHT, 0]).nice();
  const path = (key: 'gd' | 'gdm') => line<SlicePoint>().x((p) => x(p.beta)).y((p) => y(p[key]))(slice?.points ?? []) ?? '';
  const status = sweep?.status === 'done' ? '' : sweep ? ' (the map is still being computed: a partial slice)' : '';
  return (
    <PanelFrame
      id="slice"
      highlighted={highlighted}
      legend={<RunLegend gamma={slice?.gamma ?? config.gamma} />}
      caption={
        slice
          ? `${sliceWords(slice)} Test error after T = ${sweep?.trace?.ts.at(-1)} steps, from the map below; the dotted line is μ/4, half the largest possible gap μ/2${status}.`
          : 'The slice appears once the map over γ and β has numbers.'
      }
    >
      <div ref={ref} data-testid="slice" data-gamma={slice?.gamma ?? ''} data-critical-gd={slice?.critical.gd ?? ''} data-critical-gdm={slice?.critical.gdm ?? ''}>
        {slice && (
          <svg className="chart" width={w + M.left + M.right} height={HEIGHT + M.top + M.bottom} role="img" aria-label={sliceWords(slice)}>
            <g transform={`translate(${M.left},${M.top})`}>
              <Axis scale={y} orient="left" ticks={4} format={(v) => pct(v as number)} grid={w} label="test error" />
              <Axis scale={x} orient="bottom" offset={HEIGHT} ticks={Math.min(6, betas.length)} label="small margin β" />
              <line x1={0} x2={w} y1={y(slice.level)} y2={y(slice.level)} stroke="currentColor" strokeOpacity={0.6} strokeDasharray="1 3" />
              {(['gd', 'gdm'] as const).map((run) => (
                <g key={run} data-run={run}>
                  <path d={path(run)} fill="none" stroke={RUN_STYLE[run].color} strokeWidth={SIZE.lineWidth} strokeDasharray={RUN_STYLE[run].dash} />
                  {slice.points.map((p) =>
                    RUN_STYLE[run].marker === 'circle' ? (
                      <circle key={p.beta} cx={x(p.beta)} cy={y(p[run])} r={3.5} fill={RUN_STYLE[run].color}>
                        <title>{`${RUN_STYLE[run].label} at β = ${p.beta}: ${pct(p[run])}`}</title>
                      </circle>
                    ) : (
                      <rect key={p.beta} x={x(p.beta) - 3.5} y={y(p[run]) - 3.5} width={7} height={7} fill={RUN_STYLE[run].color}>
                        <title>{`${RUN_STYLE[run].label} at β = ${p.beta}: ${pct(p[run])}`}</title>
                      </rect>
                    ),
                  )}
                  {slice.critical[run] !== null && (
                    <line
                      data-testid={`slice-critical-${run}`}
                      x1={x(slice.critical[run]!)}
                      x2={x(slice.critical[run]!)}
                      y1={0}
                      y2={HEIGHT}
                      stroke={RUN_STYLE[run].color}
                      strokeDasharray={RUN_STYLE[run].dash === 'none' ? '4 2' : RUN_STYLE[run].dash}
                      strokeOpacity={0.8}
                    >
                      <title>{`${RUN_STYLE[run].label}: critical β ≈ ${slice.critical[run]!.toFixed(3)}`}</title>
                    </line>
                  )}
                </g>
              ))}
            </g>
          </svg>
        )}
      </div>
    </PanelFrame>
  );
}
