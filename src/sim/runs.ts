/**
 * The registry of runs: every optimizer trajectory the engine trains side by side, the CLI prints,
 * the worker streams and the figures draw is one entry here, keyed by its id. Pure data (no tfjs,
 * no DOM); each run's colour, dash and marker are in view/run-style.ts, which the type checker ties
 * to these ids. A new run is one entry here plus its style.
 *
 * Every run is the same rule with its own numbers (the engine's update):
 *   buf <- a buf + b grad;   W <- W - eta buf;   buf starts at 0
 *   ema (the paper's):  a = gamma, b = 1 - gamma;   heavy ball:  a = gamma, b = 1.
 * With gamma = 0 both forms are exactly GD.
 */
import type { Config, MomentumForm } from './params';

/** What the engine needs to train one run. */
export interface OptimizerSpec {
  eta: number;
  /** 0 makes any form plain GD. */
  gamma: number;
  form: MomentumForm;
}

export interface RunDef {
  /** Short name, in legends, cards and the CLI's summary. */
  label: string;
  /** One line for the CLI's help and accessible descriptions. */
  description: string;
  /** Its optimizer at a configuration. */
  optimizer: (config: Config) => OptimizerSpec;
}

export const RUNS = {
  gd: {
    label: 'GD',
    description: 'plain full-batch gradient descent',
    optimizer: (c) => ({ eta: c.eta, gamma: 0, form: 'ema' }),
  },
  gdm: {
    label: 'GD+M',
    description: 'full-batch gradient descent with momentum gamma',
    optimizer: (c) => ({ eta: c.eta, gamma: c.gamma, form: c.momentumForm }),
  },
} as const satisfies Record<string, RunDef>;

export type RunName = keyof typeof RUNS;
export const RUN_NAMES = Object.keys(RUNS) as RunName[];

/** The two protagonists, in the order every figure lists them. */
export const PAIR: readonly RunName[] = ['gd', 'gdm'];

export function isRunName(x: string): x is RunName {
  return Object.hasOwn(RUNS, x);
}

export function runLabel(id: RunName): string {
  return RUNS[id].label;
}

/** A run as the engine takes it: its id and its optimizer at one configuration. */
export interface RunSpec extends OptimizerSpec {
  name: RunName;
}

export function runSpec(id: RunName, config: Config): RunSpec {
  return { name: id, ...RUNS[id].optimizer(config) };
}

/** The runs of a lineup (default: the pair) at one configuration, in order. */
export function runSpecs(config: Config, ids: readonly RunName[] = PAIR): RunSpec[] {
  return ids.map((id) => runSpec(id, config));
}

/** The update coefficients of a run: buf <- a buf + b grad. */
export function updateCoefficients(run: OptimizerSpec): { a: number; b: number } {
  return { a: run.gamma, b: run.form === 'ema' ? 1 - run.gamma : 1 };
}
