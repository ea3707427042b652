import { type ComponentType, Suspense, lazy, useEffect, useState } from 'react';
import { RacePanel } from '../panels/RacePanel';
import type { PanelActions, PanelProps } from '../view/panel-types';
import { usePanelData, useSceneWindow, useShownStep } from '../state/selectors';
import { sweep as sweepActions } from '../state/sweep-controller';
import { useTraining } from '../state/training';
import { FIGURE_IDS, type FigureId } from '../view/figures';
import { OnScreen } from './OnScreen';

/**
 * The centerpiece is in the main chunk; the other figures mount a frame after it anyway, so each
 * loads in a chunk of its own meanwhile (the map also brings d3's colour schemes, which do not
 * tree-shake). The main chunk stays under its size budget and the first figure comes sooner.
 */
const FeaturePanel = lazy(() => import('../panels/FeaturePanel').then((m) => ({ default: m.FeaturePanel })));
const MemoryPanel = lazy(() => import('../panels/MemoryPanel').then((m) => ({ default: m.MemoryPanel })));
const ErrorsPanel = lazy(() => import('../panels/ErrorsPanel').then((m) => ({ default: m.ErrorsPanel })));
const DataPanel = lazy(() => import('../panels/DataPanel').then((m) => ({ default: m.DataPanel })));
const SlicePanel = lazy(() => import('../panels/SlicePanel').then((m) => ({ default: m.SlicePanel })));
const PhasePanel = lazy(() => import('../panels/PhasePanel').then((m) => ({ default: m.PhasePanel })));

/** Each figure's drawing code: the type checker asks for one per entry of the figure registry. */
export const PANELS: Record<FigureId, ComponentType<PanelProps>> = {
  race: RacePanel,
  feature: FeaturePanel,
  memory: MemoryPanel,
  errors: ErrorsPanel,
  data: DataPanel,
  slice: SlicePanel,
  phase: PhasePanel,
};

/**
 * While a run streams in, the figures other than the race redraw at most this often: their curves
 * grow by a pixel or two per snapshot, and each redraw of five SVG charts costs the main thread a
 * frame's budget on a 2-core machine. The race (the animation) redraws at every snapshot; every
 * figure draws the final numbers at once when the run pauses or ends.
 */
const STREAM_CADENCE_MS = 250;

/** What figures may ask of the page: the phase map's cell picks and its "compute here". */
const ACTIONS: PanelActions = { pick: sweepActions.pick, computeMap: sweepActions.computeHere };

/** Every figure, from the stores: the only place panels meet the state. */
export function Figures({ highlight, only }: { highlight?: FigureId | null; only?: readonly FigureId[] }) {
  const data = usePanelData();
  const t = useShownStep();
  const range = useSceneWindow()?.range ?? null;
  const runId = useTraining((s) => s.runId);
  const streaming = useTraining((s) => s.status === 'running' || s.status === 'starting');
  const rows = `${Object.values(data?.runs ?? {}).map((run) => run.rows.length)}|${data?.sweep?.status}|${data?.sweep?.trace?.ts.length}|${data?.config.gamma}|${data?.config.beta}`;
  // The centerpiece first: the other figures mount a frame later, so the first figure is on screen
  // without waiting for the layout and paint of all five.
  const [all, setAll] = useState(false);
  useEffect(() => {
    if (!data || all) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => (timer = setTimeout(() => setAll(true), 0)));
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [data, all]);
  if (!data) return <p className="note figures-waiting">Waiting for the first numbers…</p>;
  return (
    <div className="figures" data-t={t}>
      {(only ?? (all ? FIGURE_IDS : FIGURE_IDS.slice(0, 1))).map((id) => {
        const Panel = PANELS[id];
        const highlighted = highlight === id;
        return (
          <OnScreen key={id} streaming={streaming} cadenceMs={id === 'race' ? 0 : STREAM_CADENCE_MS} version={`${runId}|${t}|${range}|${highlighted}|${rows}`}>
            <Suspense fallback={<p className="note">Loading the figure…</p>}>
              <Panel data={data} t={t} range={range} highlighted={highlighted} actions={ACTIONS} />
            </Suspense>
          </OnScreen>
        );
      })}
    </div>
  );
}
