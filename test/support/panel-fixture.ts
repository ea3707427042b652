import { runPairSync } from '../../src/engine/experiment';
import type { PanelData } from '../../src/state/panel-data';
import { generateDataset } from '../../src/sim/data';
import { exampleViews } from '../../src/sim/examples';
import type { Config } from '../../src/sim/params';
import { SMALL, withConfig } from './configs';
import { switchBackend } from './tf';

/** Small enough to train on tfjs-cpu in a second, with both margins present and a few hundred steps. */
export const FIXTURE_CONFIG: Config = withConfig({ d: 10, P: 3, N: 60, Ntest: 60, m: 4, sigma: 0.3, sigma0: 0.1, T: 200, logEvery: 10 }, SMALL);

/**
 * Panel data from a real pair of runs (the engine on tfjs-cpu), exactly as the page receives it:
 * component tests draw real numbers, not invented ones.
 */
export async function fixturePanelData(config: Config = FIXTURE_CONFIG): Promise<PanelData> {
  await switchBackend('cpu');
  const data = generateDataset(config);
  const runs = runPairSync(config, data);
  return {
    config,
    small: data.train.small,
    examples: exampleViews(data, config.alpha, config.beta),
    runs: { gd: runs.gd, gdm: runs.gdm },
  };
}
