import type { SceneId } from '../sim/story';
import type { FigureId } from './figures';

/** The figure each scene of the story talks about: it lights up, and the page scrolls to it. */
export const SCENE_FIGURE: Record<SceneId, FigureId> = {
  data: 'data',
  learn: 'feature',
  dies: 'memory',
  memorize: 'race',
  carry: 'feature',
  dip: 'errors',
  skeptic: 'errors',
  test: 'errors',
  map: 'phase',
};
