import { memo, useId, useMemo, useRef } from 'react';
import type { ExampleView } from '../sim/examples';
import { Tex } from '../view/Tex';
import { useFigureWidth } from './chart/useWidth';
import { BLOCK_GAP, type ExampleLayout, barExtent, blockWidth, cellExtent, exampleLayout, featureFromExamples, sideBySideFits } from './data-layout';
import { PanelFrame } from './Panel';
import type { PanelProps } from '../view/panel-types';
import './data.css';

const HEAD = 16;
const fmt = (v: number) => (Math.abs(v) < 5e-4 ? '0' : v.toFixed(Math.abs(v) >= 10 ? 1 : 3));
const signed = (v: number) => (v > 0 ? `+${v}` : `−${Math.abs(v)}`);

/** A cell's fill: the hue gives the sign, the opacity |v| / extent; zero fades to the background. */
function Cell({ x, y, w, h, v, extent, title }: { x: number; y: number; w: number; h: number; v: number; extent: number; title: string }) {
  return (
    <rect
      className={`data-cell ${v >= 0 ? 'data-pos' : 'data-neg'}`}
      x={x}
      y={y}
      width={w}
      height={h}
      fillOpacity={Math.min(1, Math.abs(v) / extent)}
      data-value={v}
    >
      <title>{title}</title>
    </rect>
  );
}

interface ExampleProps {
  ex: ExampleView;
  layout: ExampleLayout;
  cells: number;
  bars: number;
  feature: Float32Array | null;
}

/** One example: its P patches as rows of d cells, the signal patch outlined, a bar of <X[j], w*> and of ||X[j]|| per patch. */
const Example = memo(function Example({ ex, layout: L, cells, bars, feature }: ExampleProps) {
  const { P, d, signalPatch, patches, alongFeature, norms } = ex;
  const symbol = ex.small ? 'β' : 'α';
  const cellsX = L.labelW;
  const alongX = cellsX + d * L.cellW + L.gap;
  const alongZero = alongX + L.alongW / 2;
  const normX = alongX + L.alongW + L.gap;
  const tagX = normX + L.normW + L.gap;
  const rowStep = L.cellH + L.rowGap;
  const featureRows = feature ? 1 : 0;
  const top = HEAD + featureRows * (rowStep + 6);
  const height = top + P * rowStep + 4;
  const half = L.alongW / 2 - 2;
  const alongLen = (v: number) => (Math.abs(v) / bars) * half;
  const normLen = (v: number) => (v / bars) * (L.normW - 2);
  const rowY = (j: number) => top + j * rowStep;
  return (
    <div className={`data-example ${ex.small ? 'data-example-small' : 'data-example-large'}`} data-index={ex.index} data-small={ex.small ? 1 : 0}>
      <h4 className="data-example-title" data-testid={`data-title-${ex.small ? 'small' : 'large'}`}>
        {ex.small ? 'small' : 'large'} margin ({symbol} = {ex.margin}), label y = {signed(ex.y)}
      </h4>
      <svg
        className="chart data-svg"
        width={L.width}
        height={height}
        viewBox={`0 0 ${L.width} ${height}`}
        role="img"
        aria-label={`training example ${ex.index}: ${P} patches of ${d} numbers, signal patch X[${signalPatch + 1}]`}
      >
        <text className="data-head" x={cellsX} y={11}>
          {`the ${d} entries of each patch`}
        </text>
        <text className="data-head" x={alongZero} y={11} textAnchor="middle">
          ⟨X[j], w*⟩
        </text>
        <text className="data-head" x={normX} y={11}>
          ‖X[j]‖
        </text>
        {feature && (
          <g className="data-feature">
            <title>the shared feature w* (a unit vector), for comparison: the signal patch is y·{symbol}·w*</title>
            <text className="data-label" x={cellsX - 6} y={HEAD + L.cellH - 4} textAnchor="end">
              w*
            </text>
            {Array.from(feature, (v, k) => (
              <Cell key={k} x={cellsX + k * L.cellW} y={HEAD} w={L.cellW} h={L.cellH} v={v} extent={cells} title={`w*_${k + 1} = ${fmt(v)}`} />
            ))}
            {L.tags && (
              <text className="data-tag" x={alongX} y={HEAD + L.cellH - 4}>
                the feature, for reference
              </text>
            )}
          </g>
        )}
        <line className="data-zero" x1={alongZero} x2={alongZero} y1={top - 3} y2={top + P * rowStep - L.rowGap + 3}>
          <title>zero of the ⟨X[j], w*⟩ bars</title>
        </line>
        {Array.from({ length: P }, (_, j) => {
          const isSignal = j === signalPatch;
          const y0 = rowY(j);
          const a = alongFeature[j];
          const what = isSignal ? `signal patch X[${j + 1}] = y·${symbol}·w*` : `noise patch X[${j + 1}] ~ N(0, σ²(I − w*w*ᵀ))`;
          return (
            <g key={j} className={`data-row ${isSignal ? 'data-row-signal' : 'data-row-noise'}`} data-patch={j} data-signal={isSignal ? 1 : 0}>
              <text className={`data-label${isSignal ? ' data-label-signal' : ''}`} x={cellsX - 6} y={y0 + L.cellH - 4} textAnchor="end">
                {`X[${j + 1}]`}
              </text>
              {Array.from({ length: d }, (_, k) => {
                const v = patches[j * d + k];
                return (
                  <Cell key={k} x={cellsX + k * L.cellW} y={y0} w={L.cellW} h={L.cellH} v={v} extent={cells} title={`${what}: X[${j + 1}]_${k + 1} = ${fmt(v)}`} />
                );
              })}
              {isSignal && (
                <rect className="data-signal-outline" x={cellsX - 1.5} y={y0 - 1.5} width={d * L.cellW + 3} height={L.cellH + 3} fill="none">
                  <title>{`signal patch X[s], s = ${j + 1}: y·${symbol}·w* = ${signed(ex.y)}·${ex.margin}·w*`}</title>
                </rect>
              )}
              <rect
                className={`data-bar data-along ${a >= 0 ? 'data-pos' : 'data-neg'}`}
                x={a >= 0 ? alongZero : alongZero - alongLen(a)}
                y={y0 + 2}
                width={alongLen(a)}
                height={L.cellH - 4}
                data-value={a}
              >
                <title>{`⟨X[${j + 1}], w*⟩ = ${fmt(a)}${isSignal ? ` (y·${symbol})` : ' (noise is orthogonal to w*)'}`}</title>
              </rect>
              <rect className="data-bar data-norm" x={normX} y={y0 + 2} width={normLen(norms[j])} height={L.cellH - 4} data-value={norms[j]}>
                <title>{`‖X[${j + 1}]‖ = ${fmt(norms[j])}`}</title>
              </rect>
              {L.tags && (
                <text className={`data-tag${isSignal ? ' data-tag-signal' : ''}`} x={tagX} y={y0 + L.cellH - 4}>
                  {isSignal ? 'signal' : 'noise'}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <p className="data-key">
        <span className="data-outline-key" aria-hidden="true" /> signal patch <Tex tex={`X[s] = y\\,${ex.small ? '\\beta' : '\\alpha'}\\,w^*`} /> (
        <Tex tex={`s = ${signalPatch + 1}`} />
        ); the others: <span className="data-nowrap">
          noise <Tex tex="\sim \mathcal{N}(0, \sigma^2(I - w^* w^{*\top}))" />
        </span>
      </p>
    </div>
  );
});

/** The colour legend of the cells: negative to zero (background) to positive. */
function CellLegend({ extent }: { extent: number }) {
  const id = useId().replace(/:/g, '');
  const w = 120;
  return (
    <svg className="chart data-colour-legend" width={w + 80} height={30} role="img" aria-label={`colour scale of the patch entries, from −${fmt(extent)} to +${fmt(extent)}`}>
      <defs>
        <linearGradient id={`neg-${id}`} x1="0" x2="1">
          <stop offset="0" className="data-stop-neg" stopOpacity={1} />
          <stop offset="1" className="data-stop-neg" stopOpacity={0} />
        </linearGradient>
        <linearGradient id={`pos-${id}`} x1="0" x2="1">
          <stop offset="0" className="data-stop-pos" stopOpacity={0} />
          <stop offset="1" className="data-stop-pos" stopOpacity={1} />
        </linearGradient>
      </defs>
      <g transform="translate(40,2)">
        <title>entry value: orange below zero, blue above, faint near zero</title>
        <rect width={w / 2} height={10} fill={`url(#neg-${id})`} />
        <rect x={w / 2} width={w / 2} height={10} fill={`url(#pos-${id})`} />
        <rect width={w} height={10} fill="none" className="data-legend-frame" />
        <text x={0} y={24} textAnchor="middle">{`−${fmt(extent)}`}</text>
        <text x={w / 2} y={24} textAnchor="middle">
          0
        </text>
        <text x={w} y={24} textAnchor="middle">{`+${fmt(extent)}`}</text>
      </g>
      <text x={0} y={10}>
        entry
      </text>
    </svg>
  );
}

/**
 * What one example is: a large- and a small-margin training example, patch by patch, with how much
 * of each patch lies along the feature w*. Does not depend on t.
 */
export function DataPanel({ data, highlighted }: PanelProps) {
  const ref = useRef<HTMLDivElement>(null);
  const width = useFigureWidth(ref, 'data');
  const { config, examples } = data;
  const sideBySide = sideBySideFits(width, examples.length);
  const blockW = blockWidth(width, sideBySide);
  const d = examples[0]?.d ?? config.d;
  // The examples never change during a run: memoized, the rows are not redrawn at every step.
  const layout = useMemo(() => exampleLayout(blockW, d), [blockW, d]);
  const { cells, bars, feature } = useMemo(
    () => ({ cells: cellExtent(examples), bars: barExtent(examples), feature: featureFromExamples(examples) }),
    [examples],
  );
  const noiseNorm = config.sigma * Math.sqrt(Math.max(0, config.d - 1));
  const legend = examples.length ? (
    <div className="data-legend">
      <CellLegend extent={cells} />
      <span>
        bars: <Tex tex="\langle X[j], w^*\rangle" /> (the patch's projection on the feature) and <Tex tex="\|X[j]\|" />, on one scale
      </span>
    </div>
  ) : undefined;
  return (
    <PanelFrame
      id="data"
      highlighted={highlighted}
      legend={legend}
      caption="A large- and a small-margin training example: every patch is noise orthogonal to the feature w*, except one signal patch that is the feature itself, scaled by the margin — faint for a small margin."
    >
      <div ref={ref} className={`data-examples${sideBySide ? ' data-examples-2' : ''}`} style={{ gap: BLOCK_GAP }}>
        {examples.length === 0 ? (
          <p className="note data-placeholder" data-testid="data-placeholder">
            The examples appear when a run starts.
          </p>
        ) : (
          examples.map((ex) => <Example key={ex.index} ex={ex} layout={layout} cells={cells} bars={bars} feature={feature} />)
        )}
      </div>
      <div className="data-model">
        <p>
          The network, with <Tex tex={`m = ${config.m}`} /> filters <Tex tex="w_r" /> shared by all patches, predicts the label by the sign of
        </p>
        <Tex display tex="f(X)=\sum_{r=1}^{m}\sum_{j=1}^{P}\langle w_r, X[j]\rangle^3" />
        <p>
          <Tex tex={`N = ${config.N}`} /> training examples, a fraction <Tex tex={`\\mu = ${config.mu}`} /> of them with the small margin{' '}
          <Tex tex={`\\beta = ${config.beta}`} /> (the rest <Tex tex={`\\alpha = ${config.alpha}`} />); each has <Tex tex={`P = ${config.P}`} /> patches of
          dimension <Tex tex={`d = ${config.d}`} />. A noise patch has norm about <Tex tex={`\\sigma\\sqrt{d-1} \\approx ${noiseNorm.toFixed(2)}`} /> (it lives in the <Tex tex="d-1" /> dimensions orthogonal to <Tex tex="w^*" />)
          {config.beta < noiseNorm ? ': larger than the small-margin signal, which the network can fit by memorizing that noise instead.' : '.'}
        </p>
      </div>
    </PanelFrame>
  );
}
