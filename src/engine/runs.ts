import type { Config, MomentumForm } from '../sim/params';

/** One optimizer trajectory in a lockstep batch. All runs share data and W0. */
export interface RunSpec {
  name: string;
  eta: number;
  /** 0 makes any form plain GD. */
  gamma: number;
  form: MomentumForm;
}

export type RunName = 'gd' | 'gdm';

/** The side-by-side pair of the explainer: plain GD and GD with momentum, same eta. */
export function optimizerPair(cfg: Config): RunSpec[] {
  return [
    { name: 'gd', eta: cfg.eta, gamma: 0, form: 'ema' },
    { name: 'gdm', eta: cfg.eta, gamma: cfg.gamma, form: cfg.momentumForm },
  ];
}

/**
 * Every run is  buf <- a buf + b grad;  W <- W - eta buf  (buf starts at 0):
 *   ema (the paper's):  a = gamma, b = 1 - gamma
 *   heavy ball:         a = gamma, b = 1
 * With gamma = 0 both are exactly GD.
 */
export function updateCoefficients(run: RunSpec): { a: number; b: number } {
  return { a: run.gamma, b: run.form === 'ema' ? 1 - run.gamma : 1 };
}
