import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_CONFIG } from '../src/sim/params';
import { fasterBackend, measurePairRate, sizeKey } from '../src/worker/backend-measure';
import { switchBackend } from './support/tf';

describe('the start-up measurement', () => {
  it('measures a pair of runs on each backend without leaking, and picks the faster', async () => {
    const config = { ...DEFAULT_CONFIG, N: 200, Ntest: 200 };
    const rates: Record<string, number> = {};
    for (const name of ['wasm', 'cpu'] as const) {
      await switchBackend(name);
      const before = tf.memory().numTensors;
      rates[name] = await measurePairRate(config, 5);
      expect(tf.memory().numTensors).toBe(before);
      expect(rates[name]).toBeGreaterThan(0);
    }
    const choice = fasterBackend(rates);
    expect(choice.name).toBe(rates.wasm > rates.cpu ? 'wasm' : 'cpu');
    expect(choice.reason).toMatch(/^measured at this size \(pair steps\/s\): (wasm|cpu) \d+, (wasm|cpu) \d+$/);
  });

  it('ignores failed measurements and refuses none', () => {
    expect(fasterBackend({ webgl: Number.NaN, wasm: 900 }).name).toBe('wasm');
    expect(fasterBackend({ webgl: 2000, wasm: 900 }).name).toBe('webgl');
    expect(() => fasterBackend({})).toThrow();
  });

  it('keys measurements by size only', () => {
    expect(sizeKey({ ...DEFAULT_CONFIG, gamma: 0.5, eta: 0.1 })).toBe(sizeKey(DEFAULT_CONFIG));
    expect(sizeKey({ ...DEFAULT_CONFIG, N: 2000 })).not.toBe(sizeKey(DEFAULT_CONFIG));
  });
});
