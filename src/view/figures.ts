/**
 * The registry of figures: every name a figure goes by, for the page, embeds, exports, the panel
 * tools, the story and present mode. The drawing code of each is in panels/; ui/Figures.tsx ties
 * each id to its component, and the type checker asks for one per entry. A new figure is one
 * entry here plus its panel.
 */
export interface FigureDef {
  /** The heading over the figure. */
  title: string;
  /** The figure in a sentence's object: "Download <name> as PNG". */
  name: string;
  /** The embed's <iframe title>, after "Why momentum generalizes: ". */
  embedTitle: string;
  /** Whether the figure changes with the time cursor (a replay, a WebM recording, a time row in an embed). */
  hasTime: boolean;
  /** What it draws: the live runs, or the phase map over gamma and beta (its exports are the map's cells; an embed starts the map). */
  data: 'runs' | 'map';
  /** Whether it draws the runs over all seeds (the other seeds' summaries): an embed without it skips fetching them. */
  seeds: boolean;
}

export const FIGURES = {
  race: {
    title: 'The race: feature vs memorization',
    name: 'the race figure',
    embedTitle: 'the race of the training examples',
    hasTime: true,
    data: 'runs',
    seeds: false,
  },
  feature: {
    title: 'Feature learned: c = max over filters of ⟨w_r, w*⟩',
    name: 'the feature-learned figure',
    embedTitle: 'the feature learned',
    hasTime: true,
    data: 'runs',
    seeds: false,
  },
  memory: {
    title: 'Memory: what pushes the feature',
    name: 'the momentum-memory figure',
    embedTitle: 'the gradient along the feature and the momentum buffer',
    hasTime: true,
    data: 'runs',
    seeds: false,
  },
  errors: {
    title: 'Train and test error',
    name: 'the errors figure',
    embedTitle: 'train and test errors',
    hasTime: true,
    data: 'runs',
    seeds: true,
  },
  data: {
    title: 'The data: one example',
    name: 'the data figure',
    embedTitle: 'one example of the data',
    hasTime: false,
    data: 'runs',
    seeds: false,
  },
  slice: {
    title: 'Where momentum helps, in one line: test error against β',
    name: 'the β slice',
    embedTitle: 'test error against the small margin β at the current γ',
    hasTime: false,
    data: 'map',
    seeds: false,
  },
  phase: {
    title: 'Where momentum helps: a map over γ and β',
    name: 'the phase map',
    embedTitle: 'where momentum helps, a map over γ and β',
    hasTime: false,
    data: 'map',
    seeds: false,
  },
} as const satisfies Record<string, FigureDef>;

export type FigureId = keyof typeof FIGURES;
/** In the page's order: the centerpiece first. */
export const FIGURE_IDS = Object.keys(FIGURES) as FigureId[];

export function isFigureId(x: string): x is FigureId {
  return Object.hasOwn(FIGURES, x);
}
