import { type Config, DEFAULT_CONFIG } from '../../src/sim/params';

/** A small setting that still has every ingredient (several patches, both margins, noise), for fast exact checks. */
export const SMALL: Config = {
  ...DEFAULT_CONFIG,
  d: 8,
  P: 3,
  N: 40,
  Ntest: 30,
  m: 4,
  sigma: 0.5,
  sigma0: 0.3,
  T: 30,
  logEvery: 10,
  logDense: 0,
  seeds: 1,
};

export function withConfig(over: Partial<Config>, base: Config = DEFAULT_CONFIG): Config {
  return { ...base, ...over };
}
