import type { ExampleView } from '../sim/examples';
import type { Config } from '../sim/params';
import type { SweepView } from '../state/sweep';
import type { RunTrace } from '../sim/trace';
import type { RunName } from '../ui/theme';

/** Everything a panel may draw: one pair of runs (GD and GD+M) on one data set. */
export interface PanelData {
  config: Config;
  /** Small-margin flags of the training examples. */
  small: Uint8Array;
  /** A large- and a small-margin training example. */
  examples: ExampleView[];
  /** Runs present so far (a run starting up may have no rows yet). */
  runs: Partial<Record<RunName, RunTrace>>;
  /** The (gamma, beta) map for the other parameters of this view, when there is one. */
  sweep?: SweepView;
}

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
