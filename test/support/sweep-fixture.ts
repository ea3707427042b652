import { runSweepSync } from '../../src/engine/sweep';
import type { Config } from '../../src/sim/params';
import type { SweepGrid, SweepTrace } from '../../src/sim/sweep';
import { SMALL, withConfig } from './configs';
import { switchBackend } from './tf';

/** A 3 x 2 grid around the fixture's own (gamma, beta), which is a grid point. */
export const SWEEP_FIXTURE_GRID: SweepGrid = { gammas: [0.5, 0.9, 0.99], betas: [0.1, 0.3] };

/** Small enough for the whole grid on tfjs-cpu in about a second. */
export const SWEEP_FIXTURE_CONFIG: Config = withConfig({ T: 40, eta: 0.5, gamma: 0.9, beta: 0.1 }, SMALL);

/**
 * A phase map really computed by the batched sweep engine (tfjs-cpu), as the page receives it:
 * component tests draw real numbers, not invented ones.
 */
export async function fixtureSweepTrace(config: Config = SWEEP_FIXTURE_CONFIG, grid: SweepGrid = SWEEP_FIXTURE_GRID): Promise<SweepTrace> {
  await switchBackend('cpu');
  return runSweepSync(config, grid);
}
