import { type ComponentType, Suspense, lazy, useDeferredValue, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { RacePanel } from '../panels/RacePanel';
import type { PanelActions, PanelProps } from '../view/panel-types';
import { usePanelData, useSceneWindow, useShownStep } from '../state/selectors';
import { sweep as sweepActions } from '../state/sweep-controller';
import { usePlayback } from '../state/playback';
import { useTraining } from '../state/training';
import { FIGURES, FIGURE_IDS, type FigureId } from '../view/figures';
import { FrameWidthContext } from '../view/frame-width';
import { PlaceholderWidths } from './placeholder-widths';
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

/**
 * A number per runs object: the same rows can come again with more in them (the precomputed run's
 * full per-example parts after its first view), and the figures must then draw again.
 */
const tracesVersions = new WeakMap<object, number>();
let lastTracesVersion = 0;
function tracesVersion(runs: object | undefined): number {
  if (!runs) return 0;
  let v = tracesVersions.get(runs);
  if (v === undefined) tracesVersions.set(runs, (v = ++lastTracesVersion));
  return v;
}

/** Every figure, from the stores: the only place panels meet the state. */
export function Figures({ highlight, only }: { highlight?: FigureId | null; only?: readonly FigureId[] }) {
  const liveData = usePanelData();
  const liveT = useShownStep();
  const liveRange = useSceneWindow()?.range ?? null;
  const runId = useTraining((s) => s.runId);
  const streaming = useTraining((s) => s.status === 'running' || s.status === 'starting');
  // While a run streams in, the figures draw each snapshot in a deferred render: React renders them
  // in slices between frames (and drops a snapshot overtaken by the next one) instead of in the one
  // frame that takes the snapshot in, which then also lays out and paints the counters and the
  // controls: such frames were the slow twentieth of a live run's frames (50-100 ms on 2 cores).
  // So do numbers that arrive by themselves (the precomputed run, its full rows, the seeds, the
  // map): a store update renders at once, in one task, and the race's first drawing was one of 510 ms
  // at a phone's speed. Scrubbed by hand (the step or the window moved), they draw in the same
  // frame as before.
  const pinned = usePlayback((s) => s.pinned);
  const scene = usePlayback((s) => s.scene);
  const live = useMemo(() => ({ data: liveData, t: liveT, range: liveRange, pinned, scene }), [liveData, liveT, liveRange, pinned, scene]);
  const deferred = useDeferredValue(live);
  // new numbers, not a move of the cursor (the shown step follows the numbers when not pinned)
  const arrived = deferred.data !== liveData && deferred.pinned === pinned && deferred.scene === scene;
  const { data, t, range } = streaming || arrived ? deferred : live;
  const rows = `${Object.values(data?.runs ?? {}).map((run) => run.rows.length)}|${data?.sweep?.status}|${data?.sweep?.trace?.ts.length}|${data?.config.gamma}|${data?.config.beta}|${tracesVersion(data?.runs)}`;
  // The boxes that hold the figures' places (the placeholders below while the first numbers load,
  // OnScreen's boxes below the fold): the figures start at their widths (view/frame-width.ts).
  const [frameWidths] = useState(() => new PlaceholderWidths());
  const waitingRef = useRef<HTMLDivElement>(null);
  const waiting = !data;
  useLayoutEffect(() => {
    const el = waitingRef.current;
    if (!waiting || !el) return;
    const stops = [...el.querySelectorAll<HTMLElement>('[data-panel-waiting]')].map((box) => frameWidths.observe(box.dataset.panelWaiting as FigureId, box));
    return () => stops.forEach((stop) => stop());
  }, [waiting, frameWidths]);
  const observeWaiting = useMemo(
    () => Object.fromEntries(FIGURE_IDS.map((id) => [id, (box: HTMLElement) => frameWidths.observe(id, box)])) as Record<FigureId, (box: HTMLElement) => () => void>,
    [frameWidths],
  );
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
  // Before the first numbers: each figure's frame and title already (they need no numbers), in the
  // box the figure will fill, so the first view paints its largest text without waiting for the data.
  if (!data) {
    return (
      <div ref={waitingRef} className="figures figures-waiting">
        {(only ?? FIGURE_IDS.slice(0, 1)).map((id) => (
          <figure key={id} className={`panel panel-${id} panel-waiting`} data-panel-waiting={id} aria-labelledby={`panel-${id}-title`}>
            <h3 id={`panel-${id}-title`} className="panel-title">
              {FIGURES[id].title}
            </h3>
            <p className="note">Waiting for the first numbers…</p>
          </figure>
        ))}
      </div>
    );
  }
  return (
    <FrameWidthContext.Provider value={frameWidths}>
      <div className="figures" data-t={t}>
        {(only ?? (all ? FIGURE_IDS : FIGURE_IDS.slice(0, 1))).map((id) => {
          const Panel = PANELS[id];
          const highlighted = highlight === id;
          return (
            <OnScreen key={id} figure={id} eager={only !== undefined} observeWaiting={observeWaiting[id]} streaming={streaming} cadenceMs={id === 'race' ? 0 : STREAM_CADENCE_MS} version={`${runId}|${t}|${range}|${highlighted}|${rows}`}>
              <Suspense fallback={<p className="note">Loading the figure…</p>}>
                <Panel data={data} t={t} range={range} highlighted={highlighted} actions={ACTIONS} />
              </Suspense>
            </OnScreen>
          );
        })}
      </div>
    </FrameWidthContext.Provider>
  );
}
