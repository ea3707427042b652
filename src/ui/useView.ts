import { useMemo } from 'react';
import { type SceneWindow, milestones, sceneWindow } from '../sim/story';
import { latestOf, usePlayback } from '../state/playback';
import { useTraining } from '../state/training';

/** The current scene's window, from the runs' milestones so far; null when no scene is chosen. */
export function useSceneWindow(): SceneWindow | null {
  const scene = usePlayback((s) => s.scene);
  const config = useTraining((s) => s.config);
  const gd = useTraining((s) => s.traces.gd?.rows);
  const gdm = useTraining((s) => s.traces.gdm?.rows);
  const marks = useMemo(() => milestones(gd ?? [], gdm ?? []), [gd, gdm]);
  // The milestones object changes with every snapshot; the window only when its numbers do.
  const window = scene && config ? sceneWindow(scene, config, marks) : null;
  const key = window ? `${window.range}|${window.from}|${window.to}` : '';
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed on the window's numbers
  return useMemo(() => window, [key]);
}

/** The latest step with numbers in both runs (the end of the computed "buffer"). */
export function useLatestStep(): number {
  return useTraining((s) => latestOf(s.traces, s.diverged));
}

/** The step the figures show: the pinned cursor (up to what is computed), else the latest step. */
export function useShownStep(): number {
  const pinned = usePlayback((s) => s.pinned);
  const latest = useLatestStep();
  return pinned === null ? latest : Math.min(pinned, latest);
}
