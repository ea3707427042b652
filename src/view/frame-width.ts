import { createContext, useContext } from 'react';
import type { FigureId } from './figures';

/**
 * The content width each figure's frame will have, known before the figure first renders: from
 * the box that held its place (Figures.tsx: the placeholders while the first numbers load, and
 * OnScreen's boxes below the fold). A figure that draws into that box takes it as its first width
 * instead of drawing at a fallback width and again, measured, in the same task. Undefined where
 * no placeholder was laid out (tests, a figure whose box never showed).
 */
export interface FrameWidths {
  get(id: FigureId): number | undefined;
}

export const FrameWidthContext = createContext<FrameWidths>({ get: () => undefined });

/** The placeholder's content width for `id`, if one was laid out. */
export function useFrameWidthHint(id: FigureId): number | undefined {
  return useContext(FrameWidthContext).get(id);
}
