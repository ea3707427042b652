/**
 * Colours, marks and sizes: the one place they are defined.
 * Okabe-Ito colours (safe for the common colour-vision deficiencies), and every run also has a
 * second cue - a dash pattern and a marker - so nothing depends on colour alone.
 */
import { RUNS, type RunName } from '../sim/runs';

export type RunMarkerShape = 'circle' | 'square';

export interface RunStyle {
  /** The registry's label (sim/runs.ts). */
  label: string;
  color: string;
  dash: string;
  marker: RunMarkerShape;
}

/** How each run of the registry is drawn: the type checker asks for an entry per run. */
const RUN_LOOK: Record<RunName, Omit<RunStyle, 'label'>> = {
  gd: { color: '#D55E00', dash: 'none', marker: 'circle' },
  gdm: { color: '#0072B2', dash: '6 3', marker: 'square' },
  // The what-ifs: the rest of the Okabe-Ito palette, each with a dash pattern of its own (the second cue).
  'gdm-until': { color: '#E69F00', dash: '2 2', marker: 'square' },
  'gdm-from': { color: '#CC79A7', dash: '8 3 2 3', marker: 'circle' },
  'gd-eta': { color: '#888888', dash: '1 3', marker: 'circle' },
  sgd: { color: '#009E73', dash: '10 4', marker: 'circle' },
  sgdm: { color: '#56B4E9', dash: '4 2 1 2', marker: 'square' },
};

export const RUN_STYLE = Object.fromEntries(
  (Object.keys(RUN_LOOK) as RunName[]).map((id) => [id, { label: RUNS[id].label, ...RUN_LOOK[id] }]),
) as Record<RunName, RunStyle>;

/**
 * Large- and small-margin examples keep these colours in every panel (dots, error splits, gradient
 * parts). The small-margin ones are the story, so they get the stronger colour and a dash.
 */
export const MARGIN_STYLE = {
  large: { label: 'large margin (α)', color: '#56B4E9', dash: 'none' },
  small: { label: 'small margin (β)', color: '#CC79A7', dash: '2 3' },
} as const;

/** The optimizer's own step along w* (the momentum buffer for GD+M). */
export const STEP_STYLE = { label: 'step direction (buffer)', color: '#009E73', dash: 'none' } as const;

/** Sizes of the figures, in CSS pixels. */
export const SIZE = {
  /** Plot height for a time series panel. */
  chartHeight: 220,
  /** Plot height of the race panel (each side). */
  raceHeight: 300,
  margin: { top: 12, right: 14, bottom: 34, left: 52 },
  /** Width used before the panel is measured (and in tests without layout). */
  fallbackWidth: 640,
  dot: 2.5,
  dotHighlighted: 3.5,
  lineWidth: 2,
  thinLine: 0.75,
} as const;

/** How long a redraw glides to its new positions; none under prefers-reduced-motion. */
export const GLIDE_MS = 120;
