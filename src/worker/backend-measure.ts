/**
 * A short start-up measurement: how fast a pair of runs of the current size trains on the active
 * backend. A GPU pays a fixed cost per dispatch, so at small sizes a CPU backend can beat it; the
 * worker measures both before it trusts WebGL with a configuration of a new size.
 */
import type { BackendName } from '../engine/backend-names';
import { runSpecs } from '../sim/runs';
import { BatchTrainer } from '../engine/trainer';
import { generateDataset } from '../sim/data';
import type { Config } from '../sim/params';

/** Pair steps per second on the active backend, after a warm-up (shader compilation, first allocations). */
export async function measurePairRate(config: Config, steps = 20): Promise<number> {
  const probe = { ...config, T: steps + 4, logEvery: steps + 4 };
  const trainer = new BatchTrainer(generateDataset(probe), runSpecs(probe), probe);
  try {
    trainer.advance(4);
    await trainer.collect();
    const started = performance.now();
    trainer.advance(steps);
    await trainer.collect(); // waits for the queued GPU work too
    return (steps / Math.max(1e-3, performance.now() - started)) * 1000;
  } finally {
    trainer.dispose();
  }
}

/** The faster of the measured backends, with the figures in words for the status chip. */
export function fasterBackend(rates: Partial<Record<BackendName, number>>): { name: BackendName; reason: string } {
  const entries = (Object.entries(rates) as [BackendName, number][]).filter(([, r]) => Number.isFinite(r) && r > 0);
  if (!entries.length) throw new Error('no backend was measured');
  entries.sort((a, b) => b[1] - a[1]);
  const figures = entries.map(([n, r]) => `${n} ${Math.round(r)}`).join(', ');
  return { name: entries[0][0], reason: `measured at this size (pair steps/s): ${figures}` };
}

/** Configurations of the same size train at the same speed: one measurement per size. */
export const sizeKey = ({ d, P, N, Ntest, m }: Config) => `${d}|${P}|${N}|${Ntest}|${m}`;
