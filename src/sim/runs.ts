/**
 * The registry of runs: every optimizer trajectory the engine trains side by side, the CLI prints,
 * the worker streams and the figures draw is one entry here, keyed by its id. Pure data (no tfjs,
 * no DOM); each run's colour, dash and marker are in view/run-style.ts, which the type checker ties
 * to these ids. A new run is one entry here plus its style.
 *
 * Every run is the same rule with its own numbers at each step t (the engine's update):
 *   buf <- a_t buf + b_t grad_t;   W <- W - eta buf;   buf starts at 0
 *   with momentum:  ema (the paper's) a = gamma, b = 1 - gamma;  heavy ball a = gamma, b = 1;
 *   without:        a = 0, b = 1 (plain GD: the buffer is the current gradient, nothing carried).
 * grad_t is the full-batch gradient, or the mean over step t's minibatch (sim/batches.ts).
 *
 * The what-if runs (issue #13) put the mechanism to the test: is it the historical gradients in the
 * few dozen steps after the large-margin examples are fitted (gdm-until, gdm-from)? a larger step
 * (gd-eta)? gradient noise (sgd, sgdm)?
 */
import type { Config, MomentumForm } from './params';
import { paramSpec } from './params';

/**
 * What the engine needs to train one run. Plain data (structured-clone safe: it travels in worker
 * messages). Momentum acts for momentumFrom <= t < momentumUntil; outside that window the step is
 * plain GD. At t = momentumFrom > 0 the buffer starts empty.
 */
export interface OptimizerSpec {
  eta: number;
  /** 0 makes any form plain GD. */
  gamma: number;
  form: MomentumForm;
  /** First step with momentum (default 0). */
  momentumFrom?: number;
  /** First step without momentum again (default: never; Infinity survives structured cloning). */
  momentumUntil?: number;
  /** Minibatch size b; absent or null: full batch. */
  batch?: number | null;
}

/** The one number a parametrized run takes (K, eta' or b), with its range at a configuration. */
export interface RunArg {
  /** Its name in the paper's letters, as the CLI and error messages write it. */
  name: 'K' | "eta'" | 'b';
  /** TeX. */
  symbol: string;
  kind: 'int' | 'float';
  /** What it means, for help texts. */
  description: string;
  /** Allowed values at a configuration, inclusive. */
  range: (config: Config) => [number, number];
  default: number;
}

export interface RunDef {
  /** Short name, in legends, cards and the CLI's summary. */
  label: string;
  /** One line for the CLI's help and accessible descriptions. */
  description: string;
  /** The run's argument, for parametrized runs. */
  arg?: RunArg;
  /** Its optimizer at a configuration (and its argument, for parametrized runs). */
  optimizer: (config: Config, arg: number) => OptimizerSpec;
}

const etaSpec = paramSpec('eta');
const step: (c: Config) => [number, number] = (c) => [0, c.T];

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
  'gdm-until': {
    label: 'GD+M until K',
    description: 'GD+M for steps t < K, then plain GD with the buffer dropped (GD started from GD+M\'s weights at step K)',
    arg: { name: 'K', symbol: 'K', kind: 'int', description: 'the step at which momentum stops', range: step, default: 60 },
    optimizer: (c, K) => ({ eta: c.eta, gamma: c.gamma, form: c.momentumForm, momentumUntil: K }),
  },
  'gdm-from': {
    label: 'GD+M from K',
    description: 'plain GD for steps t < K, then GD+M from an empty buffer',
    arg: { name: 'K', symbol: 'K', kind: 'int', description: 'the step at which momentum starts', range: step, default: 60 },
    optimizer: (c, K) => ({ eta: c.eta, gamma: c.gamma, form: c.momentumForm, momentumFrom: K }),
  },
  'gd-eta': {
    label: "GD, own η",
    description: "plain GD with its own learning rate eta' (is momentum just a larger step?)",
    arg: {
      name: "eta'",
      symbol: "\\eta'",
      kind: 'float',
      description: 'its learning rate',
      range: () => [etaSpec.kind === 'enum' ? 0 : etaSpec.min, etaSpec.kind === 'enum' ? 0 : etaSpec.max],
      default: 3,
    },
    optimizer: (_c, eta) => ({ eta, gamma: 0, form: 'ema' }),
  },
  sgd: {
    label: 'SGD',
    description: 'minibatch SGD with batch size b (a seeded shuffle each epoch, without replacement); T counts steps',
    arg: { name: 'b', symbol: 'b', kind: 'int', description: 'the batch size', range: (c) => [1, c.N], default: 50 },
    optimizer: (c, b) => ({ eta: c.eta, gamma: 0, form: 'ema', batch: b }),
  },
  sgdm: {
    label: 'SGD+M',
    description: 'minibatch SGD with momentum gamma and batch size b (the same batches as sgd at the same b)',
    arg: { name: 'b', symbol: 'b', kind: 'int', description: 'the batch size', range: (c) => [1, c.N], default: 50 },
    optimizer: (c, b) => ({ eta: c.eta, gamma: c.gamma, form: c.momentumForm, batch: b }),
  },
} as const satisfies Record<string, RunDef>;

export type RunName = keyof typeof RUNS;
export const RUN_NAMES = Object.keys(RUNS) as RunName[];

/** The two protagonists, in the order every figure lists them; every lineup starts with them. */
export const PAIR: readonly RunName[] = ['gd', 'gdm'];

export function isRunName(x: string): x is RunName {
  return Object.hasOwn(RUNS, x);
}

export function runDef(id: RunName): RunDef {
  return RUNS[id];
}

export function runLabel(id: RunName): string {
  return RUNS[id].label;
}

/** One run of a lineup: its id and, for parametrized runs, its argument (absent: the default). */
export interface RunChoice {
  id: RunName;
  arg?: number;
}

/** An ordered list of runs, at most one per id, gd and gdm first. */
export type Lineup = RunChoice[];

export const PAIR_LINEUP: readonly RunChoice[] = PAIR.map((id) => ({ id }));

/** A run as the engine takes it: its id and its optimizer at one configuration. */
export interface RunSpec extends OptimizerSpec {
  name: RunName;
}

/** The argument a choice trains with: its own, else the registry's default; NaN for runs without one. */
export function choiceArg(choice: RunChoice): number {
  const def = runDef(choice.id).arg;
  return def ? (choice.arg ?? def.default) : Number.NaN;
}

export function runSpec(id: RunName | RunChoice, config: Config): RunSpec {
  const choice = typeof id === 'string' ? { id } : id;
  return { name: choice.id, ...runDef(choice.id).optimizer(config, choiceArg(choice)) };
}

/** The runs of a lineup (default: the pair) at one configuration, in order. Ids or choices. */
export function runSpecs(config: Config, lineup: readonly (RunName | RunChoice)[] = PAIR): RunSpec[] {
  return lineup.map((choice) => runSpec(choice, config));
}

/** The update coefficients of a run while momentum acts: buf <- a buf + b grad. */
export function updateCoefficients(run: OptimizerSpec): { a: number; b: number } {
  return { a: run.gamma, b: run.form === 'ema' ? 1 - run.gamma : 1 };
}

/**
 * The coefficients of step t (buf <- a buf + b grad; W <- W - eta buf). Plain GD outside the
 * momentum window; a = 0 at its first step, so momentum switched on later starts from an empty buffer
 * (at t = 0 the buffer is zero anyway, so a = gamma there changes nothing and keeps GD+M as it was).
 */
export function coefficientsAt(run: OptimizerSpec, t: number): { a: number; b: number } {
  const from = run.momentumFrom ?? 0;
  const until = run.momentumUntil ?? Number.POSITIVE_INFINITY;
  if (t < from || t >= until || run.gamma === 0) return { a: 0, b: 1 };
  const { a, b } = updateCoefficients(run);
  return { a: t === from && from > 0 ? 0 : a, b };
}

/** A run that steps on minibatches (sim/batches.ts) rather than the full training set. */
export function isMinibatch(run: OptimizerSpec): run is OptimizerSpec & { batch: number } {
  return typeof run.batch === 'number';
}
