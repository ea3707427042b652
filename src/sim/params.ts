/**
 * The one table of the experiment's parameters. Everything that names a parameter - the CLI flags,
 * the URL keys, the sliders, validation, the defaults - reads it from here.
 * Names are the paper's letters (Jelassi & Li, ICML 2022); defaults are the validated setting in
 * shared/science.md.
 */

export type MomentumForm = 'ema' | 'heavyball';
export const MOMENTUM_FORMS: readonly MomentumForm[] = ['ema', 'heavyball'];

export interface Config {
  d: number;
  P: number;
  N: number;
  Ntest: number;
  m: number;
  mu: number;
  alpha: number;
  beta: number;
  sigma: number;
  sigma0: number;
  eta: number;
  gamma: number;
  T: number;
  seed: number;
  /** S: how many consecutive seeds from `seed` (each its own data set); the figures show `seed`. */
  seeds: number;
  momentumForm: MomentumForm;
  logEvery: number;
  logDense: number;
}

export type ParamKey = keyof Config;

interface NumericSpec {
  kind: 'int' | 'float';
  default: number;
  min: number;
  max: number;
  /** Slider scale: log for quantities that matter over orders of magnitude. */
  scale: 'linear' | 'log';
  /** Slider step (linear scale only). */
  step: number;
  /** The slider's upper end when the interesting range is much narrower than the allowed one (typed values may go up to max). */
  sliderMax?: number;
  /** Values worth marking on the slider, with what they mean ('' when the value speaks for itself). */
  ticks?: readonly { value: number; label: string }[];
}

interface EnumSpec {
  kind: 'enum';
  default: MomentumForm;
  options: readonly MomentumForm[];
}

export type ParamSpec = (NumericSpec | EnumSpec) & {
  key: ParamKey;
  /** The paper's symbol, as TeX. */
  symbol: string;
  /** One line for --help, tooltips and error messages. */
  description: string;
  /** Which part of the setting it belongs to; the UI groups controls by it. */
  group: 'data' | 'model' | 'optimizer' | 'run';
};

export type NumericParamSpec = NumericSpec & ParamSpec;

/**
 * Bounds keep every run finite in memory and time (the browser must survive a URL with wild
 * values), while leaving room to explore far beyond the defaults.
 */
export const PARAMS: readonly ParamSpec[] = [
  { key: 'd', kind: 'int', default: 30, min: 3, max: 200, scale: 'linear', step: 1, symbol: 'd', group: 'data',
    description: 'dimension of each patch' },
  { key: 'P', kind: 'int', default: 5, min: 2, max: 10, scale: 'linear', step: 1, symbol: 'P', group: 'data',
    description: 'patches per example (one signal patch, P - 1 noise patches)' },
  { key: 'N', kind: 'int', default: 500, min: 10, max: 2000, scale: 'linear', step: 10, symbol: 'N', group: 'data',
    description: 'training examples' },
  { key: 'Ntest', kind: 'int', default: 2000, min: 10, max: 10000, scale: 'linear', step: 10, symbol: 'N_{\\text{test}}', group: 'data',
    description: 'test examples' },
  { key: 'mu', kind: 'float', default: 0.3, min: 0, max: 1, scale: 'linear', step: 0.01, symbol: '\\mu', group: 'data',
    description: 'fraction of small-margin examples' },
  { key: 'alpha', kind: 'float', default: 1.0, min: 0.01, max: 5, scale: 'linear', step: 0.01, symbol: '\\alpha', group: 'data',
    description: 'large margin: signal strength of most examples' },
  { key: 'beta', kind: 'float', default: 0.1, min: 0, max: 5, scale: 'linear', step: 0.005, symbol: '\\beta', group: 'data',
    description: 'small margin: signal strength of the rare examples',
    // At the defaults the gap opens only for beta in about 0.09..0.12 (gamma = 0.9; down to 0.08 at gamma = 0.99).
    sliderMax: 0.3,
    ticks: [{ value: 0.05, label: 'both memorize' }, { value: 0.1, label: 'default: only GD+M learns w*' }, { value: 0.15, label: 'both learn w*' }] },
  { key: 'sigma', kind: 'float', default: 0.18, min: 0, max: 5, scale: 'linear', step: 0.01, symbol: '\\sigma', group: 'data',
    description: 'standard deviation of the noise patches' },
  { key: 'm', kind: 'int', default: 20, min: 1, max: 64, scale: 'linear', step: 1, symbol: 'm', group: 'model',
    description: 'convolutional filters (hidden units)' },
  { key: 'sigma0', kind: 'float', default: 0.05, min: 0.0001, max: 1, scale: 'log', step: 0, symbol: '\\sigma_0', group: 'model',
    description: 'standard deviation of the initial filter weights' },
  { key: 'eta', kind: 'float', default: 1.0, min: 0.0001, max: 100, scale: 'log', step: 0, symbol: '\\eta', group: 'optimizer',
    description: 'learning rate (the same for GD and GD+M)' },
  { key: 'gamma', kind: 'float', default: 0.9, min: 0, max: 0.999, scale: 'linear', step: 0.001, symbol: '\\gamma', group: 'optimizer',
    description: 'momentum of GD+M (0 makes GD+M plain GD)',
    ticks: [{ value: 0, label: 'plain GD' }, { value: 0.5, label: '' }, { value: 0.9, label: 'default, the paper’s choice' }] },
  { key: 'momentumForm', kind: 'enum', default: 'ema', options: MOMENTUM_FORMS, symbol: '\\text{form}', group: 'optimizer',
    description: "momentum rule: 'ema' g = gamma g + (1 - gamma) grad (the paper's), 'heavyball' v = gamma v + grad" },
  { key: 'T', kind: 'int', default: 1500, min: 1, max: 20000, scale: 'linear', step: 50, symbol: 'T', group: 'run',
    description: 'training steps (full batch)' },
  { key: 'logEvery', kind: 'int', default: 10, min: 1, max: 1000, scale: 'linear', step: 1, symbol: '\\Delta t', group: 'run',
    description: 'record metrics every this many steps after the first logDense steps, and at the last step' },
  // Every step through the transition: the large-margin examples are fitted and their push collapses
  // at t ~ 20-40 at the defaults, and GD+M's buffer carries it 1/(1 - gamma) steps more: a handful of
  // steps, one point at the usual spacing of 10. 100 rows cost 1.6x the default trace.
  { key: 'logDense', kind: 'int', default: 100, min: 0, max: 1000, scale: 'linear', step: 10, symbol: 't_{\\text{dense}}', group: 'run',
    description: 'record metrics at every step before this one (the transition), then every logEvery steps' },
  { key: 'seed', kind: 'int', default: 0, min: 0, max: 2147483647, scale: 'linear', step: 1, symbol: '\\text{seed}', group: 'run',
    description: 'random seed for the data and the initialization' },
  // Not part of a data set: each seed of seed .. seed + S - 1 is its own (DATASET_KEYS has `seed`).
  { key: 'seeds', kind: 'int', default: 5, min: 1, max: 10, scale: 'linear', step: 1, symbol: 'S', group: 'run',
    description: 'how many seeds: S consecutive seeds from seed, each its own data set and W0 (summaries give mean and range)' },
];

export const PARAM_KEYS: readonly ParamKey[] = PARAMS.map((p) => p.key);

/**
 * The parameters that define the data set and W0: those of the data and the model, and the seed
 * (which draws both). Runs that agree on these share one data set (the worker's cache, the sweep's
 * rows, the CLI's --load).
 */
export const DATASET_KEYS: readonly ParamKey[] = PARAMS.filter((p) => p.group === 'data' || p.group === 'model' || p.key === 'seed').map((p) => p.key);

/** Identifies a configuration's data set and W0. */
export const datasetKey = (config: Config): string => JSON.stringify(DATASET_KEYS.map((k) => config[k]));

export function paramSpec(key: ParamKey): ParamSpec {
  const spec = PARAMS.find((p) => p.key === key);
  if (!spec) throw new Error(`unknown parameter ${key}`);
  return spec;
}

export function isParamKey(key: string): key is ParamKey {
  return (PARAM_KEYS as readonly string[]).includes(key);
}

export const DEFAULT_CONFIG: Readonly<Config> = Object.freeze(
  Object.fromEntries(PARAMS.map((p) => [p.key, p.default])) as unknown as Config,
);

/** The range as people read it: "an integer from 2 to 10", "a number from 0 to 0.999", "ema or heavyball". */
export function describeRange(spec: ParamSpec): string {
  if (spec.kind === 'enum') return spec.options.join(' or ');
  return `${spec.kind === 'int' ? 'an integer' : 'a number'} from ${spec.min} to ${spec.max}`;
}
