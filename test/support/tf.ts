import { expect } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { type NodeBackend, startNodeBackend } from '../../src/cli/node-backends';
import type { Dataset } from '../../src/sim/data';
import type { Config } from '../../src/sim/params';
import { decodeRun } from '../../src/sim/trace';
import type { OptimizerSpec } from '../../src/sim/runs';
import { BatchTrainer } from '../../src/engine/trainer';

export async function switchBackend(name: NodeBackend): Promise<void> {
  expect(await startNodeBackend(name)).toBe(name);
  expect(tf.getBackend()).toBe(name);
}

/** Train `runs` to the end on `data` and decode every run's trace. */
export function trainAll(cfg: Config, data: Dataset, runs: (OptimizerSpec & { name: string })[]) {
  const trainer = new BatchTrainer(data, runs, cfg);
  try {
    trainer.advance(cfg.T);
    const { ts, packed } = trainer.collectSync();
    return { packed, traces: runs.map((_, k) => decodeRun(packed, ts, k, runs.length, data.m, data.train.small)) };
  } finally {
    trainer.dispose();
  }
}
