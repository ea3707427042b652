import type { Dataset } from '../sim/data';
import type { Config } from '../sim/params';
import { type RunTrace, decodeRun, divergence } from '../sim/trace';
import { PAIR, type RunChoice, type RunName, runSpecs } from '../sim/runs';
import { BatchTrainer, type Collected } from './trainer';

export interface RunResult extends RunTrace {
  /** First logged step at which the run's numbers stopped being finite (learning rate too large). */
  divergedAt: number | null;
}

/** Concatenate collected chunks (each [logged step][run][row]) in order. */
export function joinCollected(chunks: readonly Collected[]): Collected {
  const packed = new Float32Array(chunks.reduce((n, c) => n + c.packed.length, 0));
  let at = 0;
  for (const c of chunks) {
    packed.set(c.packed, at);
    at += c.packed.length;
  }
  return { ts: chunks.flatMap((c) => c.ts), packed };
}

export function decodeRuns(collected: Collected, trainer: BatchTrainer, data: Dataset): Partial<Record<RunName, RunResult>> {
  return Object.fromEntries(
    trainer.runs.map((run, k) => {
      const trace = decodeRun(collected.packed, collected.ts, k, trainer.runs.length, data.m, data.train.small);
      return [run.name, { ...trace, divergedAt: divergence(trace.rows) }];
    }),
  );
}

/**
 * GD and GD+M from the same data and W0, to the end, synchronously (Node: cpu and wasm backends).
 * Rows are read back every `chunk` steps so the backend never holds the whole trace.
 */
export function runPairSync(cfg: Config, data: Dataset, chunk = 500): Record<string, RunResult> {
  return runLineupSync(cfg, data, PAIR, chunk) as Record<string, RunResult>;
}

/** Every run of a lineup in ONE batch (one program, one W0, the minibatches seeded by cfg.seed), to the end. */
export function runLineupSync(cfg: Config, data: Dataset, lineup: readonly (RunName | RunChoice)[], chunk = 500): Partial<Record<RunName, RunResult>> {
  const trainer = new BatchTrainer(data, runSpecs(cfg, lineup), cfg);
  try {
    const chunks: Collected[] = [];
    while (!trainer.done) {
      trainer.advance(chunk);
      chunks.push(trainer.collectSync());
    }
    return decodeRuns(joinCollected(chunks), trainer, data);
  } finally {
    trainer.dispose();
  }
}
