import type { PanelData } from '../state/panel-data';

/** What a figure may ask of the page (never of the worker): the page decides what it means. */
export interface PanelActions {
  /** Load a (gamma, beta) setting into the live side-by-side view. */
  pick?: (gamma: number, beta: number) => void;
  /** Compute the map in this browser, even where a precomputed one exists. */
  computeMap?: () => void;
}

/**
 * A panel renders from data and a time cursor, nothing else: it never talks to the worker, and the
 * same props always draw the same figure (component tests rely on it).
 */
export interface PanelProps {
  data: PanelData;
  /** The step shown: the panel draws the last logged row at or before it. */
  t: number;
  /** The time window of time-series axes; null: the whole run, 0..T. */
  range: readonly [number, number] | null;
  /** Story highlight: this panel is the one the current scene talks about. */
  highlighted?: boolean;
  actions?: PanelActions;
}
