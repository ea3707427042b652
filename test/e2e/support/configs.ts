import { type Config, DEFAULT_CONFIG } from '../../../src/sim/params';

/** A run that trains in a second or two in the page, long enough for every figure to have a shape. */
export const SHORT: Config = { ...DEFAULT_CONFIG, N: 150, Ntest: 300, T: 300, logEvery: 10, seed: 3, seeds: 1 };
