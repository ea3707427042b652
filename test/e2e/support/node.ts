import { runPairSync } from '../../../src/engine/experiment';
import { generateDataset } from '../../../src/sim/data';
import type { Config } from '../../../src/sim/params';

/** Node's engine on the current tfjs backend (switch to wasm first), the code path of the CLI: what the page must show. */
export function nodeRuns(config: Config) {
  return runPairSync(config, generateDataset(config));
}

/** The last row of each run of nodeRuns. */
export function nodeFinal(config: Config) {
  const runs = nodeRuns(config);
  return { gd: runs.gd.rows.at(-1)!, gdm: runs.gdm.rows.at(-1)! };
}
