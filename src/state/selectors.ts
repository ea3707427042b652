/**
 * Derived view state, computed in one place from the stores (never stored twice): the step the
 * figures show, the current scene's window, where a run diverged, and the panels' data.
 */
import { useMemo } from 'react';
import type { RunName } from '../sim/runs';
import { type SceneId, type SceneWindow, milestones, sceneWindow } from '../sim/story';
import { divergence } from '../sim/trace';
import { type Mechanism, mechanism } from '../sim/mechanism';
import type { PanelData, SeedsView } from './panel-data';
import { type SeedSummary, runOverSeeds } from '../sim/seeds';
import { latestOf, usePlayback } from './playback';
import { type SweepView, useSweep } from './sweep';
import { type TrainingState, useTraining } from './training';

/** The step the figures show: the pinned cursor, up to what is computed; else the latest step. */
export function shownStepOf(pinned: number | null, latest: number): number {
  return pinned === null ? latest : Math.min(pinned, latest);
}

/** The latest step with numbers in every run still training. */
export function latestStepOf(training: Pick<TrainingState, 'traces' | 'diverged'>): number {
  return latestOf(training.traces, training.diverged);
}

/** The shown step now, read once (click handlers, keys). */
export function shownStepNow(): number {
  return shownStepOf(usePlayback.getState().pinned, latestStepOf(useTraining.getState()));
}

export function useLatestStep(): number {
  return useTraining((s) => latestStepOf(s));
}

export function useShownStep(): number {
  const pinned = usePlayback((s) => s.pinned);
  return shownStepOf(pinned, useLatestStep());
}

/** A scene's window from the runs' milestones so far; null without a scene or a configuration. */
export function sceneWindowOf(scene: SceneId | null, training: Pick<TrainingState, 'config' | 'traces'>): SceneWindow | null {
  if (!scene || !training.config) return null;
  return sceneWindow(scene, training.config, milestones(training.traces.gd?.rows ?? [], training.traces.gdm?.rows ?? []));
}

/** The current scene's window, read once. */
export function sceneWindowNow(scene = usePlayback.getState().scene): SceneWindow | null {
  return sceneWindowOf(scene, useTraining.getState());
}

/** The current scene's window; a new object only when its numbers change. */
export function useSceneWindow(): SceneWindow | null {
  const scene = usePlayback((s) => s.scene);
  const config = useTraining((s) => s.config);
  const gd = useTraining((s) => s.traces.gd?.rows);
  const gdm = useTraining((s) => s.traces.gdm?.rows);
  const marks = useMemo(() => milestones(gd ?? [], gdm ?? []), [gd, gdm]);
  const window = scene && config ? sceneWindow(scene, config, marks) : null;
  const key = window ? `${window.range}|${window.from}|${window.to}` : '';
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed on the window's numbers
  return useMemo(() => window, [key]);
}

/** Scanning rows is linear; a trace's rows array is new with every append, so one scan per array. */
const divergenceOfRows = new WeakMap<readonly unknown[], number | null>();

/** The logged step where a run's numbers stopped being finite: the worker's word, else its rows'; null if never. */
export function divergedAtOf(training: Pick<TrainingState, 'traces' | 'diverged'>, run: RunName): number | null {
  const said = training.diverged[run]?.step;
  if (said !== undefined) return said;
  const rows = training.traces[run]?.rows;
  if (!rows) return null;
  if (!divergenceOfRows.has(rows)) divergenceOfRows.set(rows, divergence(rows));
  return divergenceOfRows.get(rows) ?? null;
}

/** The causal chain measured on the pair of the panels' data (sim/mechanism.ts), once per pair of traces. */
const mechanisms = new WeakMap<object, { gd: unknown; m: Mechanism }>();
export function mechanismOf(data: PanelData): Mechanism {
  const { gd, gdm } = data.runs;
  const key = gdm ?? data;
  const known = mechanisms.get(key);
  if (known && known.gd === gd) return known.m;
  const m = mechanism(data.config, data.small, gd, gdm);
  mechanisms.set(key, { gd, m });
  return m;
}

/** The runs over seeds, once per seeds array (the store makes a new one per summary). */
const seedViews = new WeakMap<readonly SeedSummary[], SeedsView>();
/** Every run of the lineup over the seeds summarized so far; null with one seed or none done yet. */
export function seedsViewOf(training: Pick<TrainingState, 'config' | 'runNames' | 'seeds'>): SeedsView | null {
  const { config, runNames, seeds } = training;
  if (!config || config.seeds < 2 || !seeds.length) return null;
  const known = seedViews.get(seeds);
  if (known) return known;
  const runs: SeedsView['runs'] = {};
  for (const name of runNames) {
    const over = runOverSeeds(seeds, name);
    if (over) runs[name] = over;
  }
  const view = { S: config.seeds, done: seeds.length, runs };
  seedViews.set(seeds, view);
  return view;
}

export function useSeedsView(): SeedsView | null {
  const config = useTraining((s) => s.config);
  const runNames = useTraining((s) => s.runNames);
  const seeds = useTraining((s) => s.seeds);
  return useMemo(() => seedsViewOf({ config, runNames, seeds }), [config, runNames, seeds]);
}

/** The panels' data from the stores; null before the first configuration. */
export function panelDataOf(
  training: Pick<TrainingState, 'config' | 'small' | 'examples' | 'traces'> & Partial<Pick<TrainingState, 'runNames' | 'seeds'>>,
  sweep?: SweepView,
): PanelData | null {
  const { config, small, examples, traces } = training;
  const seeds = seedsViewOf({ config, runNames: training.runNames ?? [], seeds: training.seeds ?? [] });
  return config ? { config, small, examples, runs: traces, ...(sweep ? { sweep } : {}), ...(seeds ? { seeds } : {}) } : null;
}

/** The panels' data, one object per store change. */
export function usePanelData(): PanelData | null {
  const config = useTraining((s) => s.config);
  const small = useTraining((s) => s.small);
  const examples = useTraining((s) => s.examples);
  const traces = useTraining((s) => s.traces);
  const runNames = useTraining((s) => s.runNames);
  const seeds = useTraining((s) => s.seeds);
  const sweep = useSweep();
  return useMemo(() => panelDataOf({ config, small, examples, traces, runNames, seeds }, sweep), [config, small, examples, traces, runNames, seeds, sweep]);
}
