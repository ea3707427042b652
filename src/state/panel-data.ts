import type { ExampleView } from '../sim/examples';
import type { Config } from '../sim/params';
import { PAIR, RUN_NAMES, type RunName } from '../sim/runs';
import type { RunTrace } from '../sim/trace';
import type { RunOverSeeds } from '../sim/seeds';
import type { SweepView } from './sweep';

/** Everything a panel may draw: the runs on one data set, and the map of the view's setting. */
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
  /** Every run over the seeds summarized so far, when config.seeds > 1 and at least one is done. */
  seeds?: SeedsView;
}

/** The runs over the seeds: S in all (config.seeds), how many are summarized so far, and per run its spread. */
export interface SeedsView {
  S: number;
  done: number;
  runs: Partial<Record<RunName, RunOverSeeds>>;
}

/** The runs a figure draws: GD and GD+M always (empty until they have rows), then any what-if present, in the registry's order. */
export function drawnRuns(data: Pick<PanelData, 'runs'>): RunName[] {
  return RUN_NAMES.filter((run) => PAIR.includes(run) || data.runs[run] !== undefined);
}
