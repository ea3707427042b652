import { describe, expect, it } from 'vitest';
import { generateDataset, signalCoefficients } from '../src/sim/data';
import { DEFAULT_CONFIG, PARAMS } from '../src/sim/params';
import { loggedSteps } from '../src/sim/trace';
import { clampConfig, validateConfig } from '../src/sim/validate';
import { SMALL, withConfig } from './support/configs';

const dot = (a: ArrayLike<number>, b: ArrayLike<number>, at = 0) => {
  let s = 0;
  for (let k = 0; k < b.length; k++) s += a[at + k] * b[k];
  return s;
};

describe('parameter schema', () => {
  it('has the default setting of science.md', () => {
    expect(DEFAULT_CONFIG).toMatchObject({
      d: 30, P: 5, N: 500, Ntest: 2000, m: 20, mu: 0.3, alpha: 1, beta: 0.1, sigma: 0.18, sigma0: 0.05,
      eta: 1, gamma: 0.9, T: 1500, momentumForm: 'ema',
    });
  });

  it('keeps every default inside its own bounds', () => {
    for (const p of PARAMS) {
      if (p.kind !== 'enum') expect(p.default, p.key).toBeGreaterThanOrEqual(p.min);
      if (p.kind !== 'enum') expect(p.default, p.key).toBeLessThanOrEqual(p.max);
      expect(p.description.length, p.key).toBeGreaterThan(5);
    }
    expect(validateConfig({}).ok).toBe(true);
  });
});

describe('validation', () => {
  it('accepts strings and numbers in range', () => {
    const r = validateConfig({ beta: '0.05', N: 100, momentumForm: 'heavyball' });
    expect(r).toEqual({ ok: true, config: { ...DEFAULT_CONFIG, beta: 0.05, N: 100, momentumForm: 'heavyball' } });
  });

  it('names the parameter and its range, for every problem at once', () => {
    const r = validateConfig({ gamma: 1.5, N: 'many', P: 2.5, momentumForm: 'nesterov', lr: 1 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byKey = Object.fromEntries(r.issues.map((i) => [i.key, i.message]));
    expect(byKey.gamma).toBe('must be a number from 0 to 0.999 (got 1.5)');
    expect(byKey.N).toBe('must be an integer from 10 to 2000 (got "many")');
    expect(byKey.P).toBe('must be an integer from 2 to 10 (got 2.5)');
    expect(byKey.momentumForm).toBe('must be ema or heavyball (got "nesterov")');
    expect(byKey.lr).toMatch(/^is not a parameter/);
  });

  it('rejects non-finite numbers and empty strings', () => {
    for (const bad of ['', ' ', 'Infinity', 'NaN', Number.POSITIVE_INFINITY]) {
      expect(validateConfig({ eta: bad }).ok, String(bad)).toBe(false);
    }
  });

  it('clamps wild URL values, says so, and ignores unknown keys', () => {
    const { config, notes } = clampConfig({ N: '1e9', gamma: '-3', beta: 'abc', P: '3.4', foo: 'bar' });
    expect(config).toMatchObject({ N: 2000, gamma: 0, beta: DEFAULT_CONFIG.beta, P: 3 });
    expect(notes.map((n) => n.key).sort()).toEqual(['N', 'P', 'beta', 'gamma']);
    expect(notes.find((n) => n.key === 'N')?.message).toMatch(/using 2000$/);
  });
});

describe('data generation', () => {
  const cfg = withConfig({ N: 2000, Ntest: 500 });
  const data = generateDataset(cfg);
  const { d, P } = cfg;

  it('w* is a unit vector', () => {
    expect(dot(data.wStar, data.wStar)).toBeCloseTo(1, 6);
  });

  it('puts c y w* in the signal patch and noise orthogonal to w* elsewhere', () => {
    let noiseSq = 0;
    let noiseCount = 0;
    for (let i = 0; i < cfg.N; i++) {
      const c = data.train.small[i] ? cfg.beta : cfg.alpha;
      for (let j = 0; j < P; j++) {
        const along = dot(data.train.X, data.wStar, (i * P + j) * d);
        if (j === data.train.signalPatch[i]) {
          expect(along).toBeCloseTo(c * data.train.y[i], 5);
        } else {
          expect(Math.abs(along)).toBeLessThan(1e-6);
          for (let k = 0; k < d; k++) noiseSq += data.train.X[(i * P + j) * d + k] ** 2;
          noiseCount++;
        }
      }
    }
    // E|noise|^2 = sigma^2 (d - 1) for noise with the w* direction removed
    expect(noiseSq / noiseCount / (cfg.sigma ** 2 * (d - 1))).toBeCloseTo(1, 1);
  });

  it('gives each signal patch its coefficient along w* (c y), and names the first patch that is not a multiple of w*', () => {
    for (const split of [data.train, data.test]) {
      const { sig, firstBad } = signalCoefficients(split, P, d, data.wStar);
      expect(firstBad).toBe(-1);
      for (let i = 0; i < split.count; i++) expect(sig[i]).toBeCloseTo((split.small[i] ? cfg.beta : cfg.alpha) * split.y[i], 6);
    }
    const X = data.train.X.slice();
    X[(7 * P + data.train.signalPatch[7]) * d + 3] += 1e-3;
    expect(signalCoefficients({ ...data.train, X }, P, d, data.wStar).firstBad).toBe(7);
    const zero = signalCoefficients(data.train, P, d, new Float32Array(d));
    expect(zero.firstBad).toBe(0);
  });

  it('draws labels, margins and signal positions with the right frequencies', () => {
    const n = cfg.N;
    const frac = (f: (i: number) => boolean) => Array.from({ length: n }, (_, i) => f(i)).filter(Boolean).length / n;
    expect(frac((i) => data.train.y[i] === 1)).toBeCloseTo(0.5, 1);
    expect(frac((i) => data.train.small[i] === 1)).toBeCloseTo(cfg.mu, 1);
    for (let j = 0; j < P; j++) expect(frac((i) => data.train.signalPatch[i] === j)).toBeCloseTo(1 / P, 1);
  });

  it('is deterministic in the seed, and the seed matters', () => {
    const again = generateDataset(cfg);
    expect(again).toEqual(data);
    const other = generateDataset(withConfig({ seed: 1 }, cfg));
    expect(other.train.X).not.toEqual(data.train.X);
    expect(other.W0).not.toEqual(data.W0);
  });

  it('keeps the training set and W0 when only the test set size changes', () => {
    const more = generateDataset(withConfig({ Ntest: 800 }, cfg));
    expect(more.train).toEqual(data.train);
    expect(more.W0).toEqual(data.W0);
  });

  it('draws W0 with standard deviation sigma0', () => {
    const w = generateDataset(SMALL).W0;
    const big = generateDataset(withConfig({ m: 64, d: 200 })).W0;
    const sd = Math.sqrt(big.reduce((a, x) => a + x * x, 0) / big.length);
    expect(w.length).toBe(SMALL.m * SMALL.d);
    expect(sd / DEFAULT_CONFIG.sigma0).toBeCloseTo(1, 1);
  });
});

describe('logged steps', () => {
  it('starts at 0, steps by logEvery and always ends at T', () => {
    expect(loggedSteps(30, 10, 0)).toEqual([0, 10, 20, 30]);
    expect(loggedSteps(25, 10, 0)).toEqual([0, 10, 20, 25]);
    expect(loggedSteps(1, 10)).toEqual([0, 1]);
    // every step through the transition, then every logEvery-th
    const range = (a: number, b: number) => Array.from({ length: b - a }, (_, k) => a + k);
    expect(loggedSteps(30, 10, 100)).toEqual([...range(0, 30), 30]);
    expect(loggedSteps(135, 10, 100)).toEqual([...range(0, 100), 100, 110, 120, 130, 135]);
    expect(loggedSteps(135, 7, 100)).toEqual([...range(0, 100), 105, 112, 119, 126, 133, 135]);
  });
});
