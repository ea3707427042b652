import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/cli/args';
import { DATA_BUDGET, DATA_KEY, WORK_BUDGET, WORK_KEY, boundIssues, dataSize, fitBounds, stepWork } from '../src/sim/bounds';
import { type Config, DEFAULT_CONFIG, type NumericParamSpec, PARAMS } from '../src/sim/params';
import { validateConfig } from '../src/sim/validate';
import { readUrl } from '../src/state/url';

const SIZE_KEYS = ['d', 'P', 'N', 'Ntest', 'm'] as const;
const max = (key: string) => (PARAMS.find((p) => p.key === key) as NumericParamSpec).max;
const MAXED: Config = { ...DEFAULT_CONFIG, ...Object.fromEntries(SIZE_KEYS.map((k) => [k, max(k)])) };

describe('bounds on the sizes together', () => {
  it('the defaults, four times the default counts, and each size alone at its maximum are allowed', () => {
    const allowed: Partial<Config>[] = [{}, { N: 2000, Ntest: 8000 }, ...SIZE_KEYS.map((k) => ({ [k]: max(k) })), { d: 200, P: 10 }, { d: 200, m: 64 }];
    for (const change of allowed) {
      const config = { ...DEFAULT_CONFIG, ...change };
      expect(validateConfig(config as unknown as Record<string, unknown>), JSON.stringify(change)).toEqual({ ok: true, config });
      expect(readUrl(`?${new URLSearchParams(Object.entries(change).map(([k, v]) => [k, String(v)]))}`).notes, JSON.stringify(change)).toEqual([]);
    }
  });

  it('every size at its maximum breaks both bounds: the strict check names both', () => {
    expect(dataSize(MAXED)).toBeGreaterThan(DATA_BUDGET);
    expect(stepWork(MAXED)).toBeGreaterThan(WORK_BUDGET);
    const checked = validateConfig(MAXED as unknown as Record<string, unknown>);
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      expect(checked.issues.map((i) => i.key)).toEqual([DATA_KEY, WORK_KEY]);
      expect(checked.issues[0].message).toContain('24,000,000');
      expect(checked.issues[1].message).toContain('256,000,000');
    }
  });

  it('the URL reader shrinks N and Ntest to fit, keeps d, P and m, and says why', () => {
    const search = `?${SIZE_KEYS.map((k) => `${k}=${max(k)}`).join('&')}`;
    const { config, notes } = readUrl(search);
    expect(boundIssues(config)).toEqual([]);
    expect(validateConfig(config as unknown as Record<string, unknown>).ok).toBe(true);
    expect({ d: config.d, P: config.P, m: config.m }).toEqual({ d: 200, P: 10, m: 64 });
    expect(notes.map((n) => n.key)).toEqual([DATA_KEY, WORK_KEY]);
    expect(notes[0].message).toMatch(/data bound.*memory/);
    expect(notes[1].message).toContain(`using N = ${config.N}`);
    // as large as the work bound lets N be
    expect(stepWork({ ...config, N: config.N + 1 })).toBeGreaterThan(WORK_BUDGET);
  });

  it('fitBounds keeps the ratio of N to Ntest, fills the data bound, and leaves a fitting config alone', () => {
    const { config } = fitBounds({ ...DEFAULT_CONFIG, d: 200, P: 10, N: 1000, Ntest: 4000, m: 1 });
    expect(config.Ntest / config.N).toBeCloseTo(4, 1);
    expect(dataSize(config)).toBeLessThanOrEqual(DATA_BUDGET);
    expect(dataSize({ ...config, Ntest: config.Ntest + 1 })).toBeGreaterThan(DATA_BUDGET);
    expect(fitBounds(DEFAULT_CONFIG)).toEqual({ config: DEFAULT_CONFIG, notes: [] });
  });

  it('the CLI refuses a combination over a bound, naming the flags, and allows four times the default counts', () => {
    const bad = parseArgs(['--d', '200', '--P', '10', '--N', '2000']);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors).toEqual([expect.stringMatching(/^--N, --Ntest, --P and --d together: \(N \+ Ntest\)·P·d = .*5,000,000/), expect.stringMatching(/^--N, --P, --d and --m together: N·P·d·m/)]);
    expect(parseArgs(['--N', '2000', '--Ntest', '8000']).ok).toBe(true);
  });
});

describe('DATASET_KEYS', () => {
  it('are the parameters of the data and the model, and the seed', async () => {
    const { DATASET_KEYS } = await import('../src/sim/params');
    expect([...DATASET_KEYS].sort()).toEqual(['N', 'Ntest', 'P', 'alpha', 'beta', 'd', 'm', 'mu', 'seed', 'sigma', 'sigma0'].sort());
  });
});
