/**
 * The guided story: nine scenes, each a time window of the run (the figure each talks about is in
 * view/scenes.ts).
 * Windows come from the run's own numbers (when the large-margin examples are fitted, when GD has
 * fitted everything), so the story follows the experiment on screen, not fixed step numbers.
 */
import type { Config } from './params';
import { type TraceRow, firstStepWhere } from './trace';

export const SCENE_IDS = ['data', 'learn', 'dies', 'memorize', 'carry', 'dip', 'test', 'skeptic', 'map'] as const;
export type SceneId = (typeof SCENE_IDS)[number];

export interface SceneWindow {
  /** The time axes of the panels show this window. */
  range: [number, number];
  /** The cursor plays from here ... */
  from: number;
  /** ... to here. */
  to: number;
}

export function isSceneId(x: string): x is SceneId {
  return (SCENE_IDS as readonly string[]).includes(x);
}

/** Milestones of a pair of runs, each null when it has not happened (yet). */
export interface Milestones {
  /** Both runs fit every large-margin training example. */
  largeFitted: number | null;
  /** GD fits every training example. */
  gdFitted: number | null;
}

export function milestones(gd: readonly TraceRow[], gdm: readonly TraceRow[]): Milestones {
  const a = firstStepWhere(gd, (r) => r.trainErrLarge === 0);
  const b = firstStepWhere(gdm, (r) => r.trainErrLarge === 0);
  return {
    largeFitted: a === null || b === null ? null : Math.max(a, b),
    gdFitted: firstStepWhere(gd, (r) => r.trainErr === 0),
  };
}

/** The window of a scene, from the run's milestones, falling back to fractions of T before they are known. */
export function sceneWindow(id: SceneId, config: Config, marks: Milestones): SceneWindow {
  const { T } = config;
  const clamp = (t: number) => Math.max(0, Math.min(T, Math.round(t)));
  const fitted = marks.largeFitted ?? clamp(T / 50);
  // Phase 1 is over within a few times the large-margin fit; the buffer outlives the gradient for
  // about 1/(1 - gamma) steps after it: short windows, or both are a few pixels of a 0..T axis.
  const early = clamp(Math.max(3 * fitted, T / 25));
  const afterFit = clamp(Math.max(6 * fitted, T / 10));
  const gdDone = marks.gdFitted ?? T;
  switch (id) {
    case 'data':
      return { range: [0, T], from: 0, to: 0 };
    case 'learn':
      return { range: [0, early], from: 0, to: early };
    case 'dies':
      return { range: [0, afterFit], from: clamp(fitted / 2), to: afterFit };
    case 'memorize':
      return { range: [0, T], from: fitted, to: clamp(gdDone) };
    case 'carry':
      return { range: [0, T], from: fitted, to: T };
    case 'dip':
    case 'skeptic':
      return { range: [0, T], from: 0, to: T };
    case 'test':
      return { range: [0, T], from: 0, to: T };
    case 'map':
      return { range: [0, T], from: T, to: T };
  }
}
