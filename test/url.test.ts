import { describe, expect, it } from 'vitest';
import { type Config, DEFAULT_CONFIG, MOMENTUM_FORMS, type NumericParamSpec, PARAMS } from '../src/sim/params';
import { fitBounds } from '../src/sim/bounds';
import { validateConfig } from '../src/sim/validate';
import { readUrl, shareUrl, writeUrl } from '../src/state/url';

const noteFor = (notes: { key: string; message: string }[], key: string) => notes.filter((n) => n.key === key);

/** A small deterministic generator (mulberry32), so a failure names its seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomConfig(rand: () => number): Config {
  const config: Record<string, unknown> = {};
  for (const spec of PARAMS) {
    if (spec.kind === 'enum') {
      config[spec.key] = spec.options[Math.floor(rand() * spec.options.length)];
      continue;
    }
    const { min, max, kind } = spec as NumericParamSpec;
    const pick = rand();
    // edges and defaults too, not only the interior
    let x = pick < 0.1 ? min : pick < 0.2 ? max : pick < 0.3 ? spec.default : min + rand() * (max - min);
    if (kind === 'int') x = Math.min(max, Math.max(min, Math.round(x)));
    config[spec.key] = x;
  }
  // Sizes drawn alone can break the bounds together: shrink the counts the way the URL reader does.
  return fitBounds(config as unknown as Config).config;
}

describe('readUrl', () => {
  it('an empty query is the default config, no notes, automatic backend', () => {
    for (const search of ['', '?']) expect(readUrl(search)).toEqual({ config: DEFAULT_CONFIG, notes: [], backend: null, threads: null, view: { scene: null, t: null }, theme: 'auto', lineup: [{ id: 'gd' }, { id: 'gdm' }] });
  });

  it('reads valid values exactly', () => {
    const { config, notes } = readUrl('?beta=0.25&gamma=0.5&N=120&momentumForm=heavyball&seed=7&sigma0=1e-3');
    expect(notes).toEqual([]);
    expect(config).toEqual({ ...DEFAULT_CONFIG, beta: 0.25, gamma: 0.5, N: 120, momentumForm: 'heavyball', seed: 7, sigma0: 0.001 });
  });

  it('clamps wild values into range and says so, per key', () => {
    const { config, notes } = readUrl('?N=1e9&gamma=-3&beta=abc&P=3.4&T=0&eta=1e300');
    expect(config.N).toBe(2000);
    expect(config.gamma).toBe(0);
    expect(config.beta).toBe(DEFAULT_CONFIG.beta);
    expect(config.P).toBe(3);
    expect(config.T).toBe(1);
    expect(config.eta).toBe(100);
    for (const [key, using] of [
      ['N', 'using 2000'],
      ['gamma', 'using 0'],
      ['beta', `using the default ${DEFAULT_CONFIG.beta}`],
      ['P', 'using 3'],
      ['T', 'using 1'],
      ['eta', 'using 100'],
    ]) {
      const found = noteFor(notes, key);
      expect(found, key).toHaveLength(1);
      expect(found[0].message, key).toContain(using);
      expect(found[0].message, key).toMatch(/must be/);
    }
    expect(notes).toHaveLength(6);
    // everything else is the default
    const changed = ['N', 'gamma', 'beta', 'P', 'T', 'eta'];
    for (const spec of PARAMS) if (!changed.includes(spec.key)) expect(config[spec.key], spec.key).toBe(DEFAULT_CONFIG[spec.key]);
    // the result is always a config the worker accepts
    expect(validateConfig(config as unknown as Record<string, unknown>).ok).toBe(true);
  });

  it('falls back to the default for unreadable values: empty, NaN, Infinity, a wrong momentum form', () => {
    const { config, notes } = readUrl('?alpha=&sigma=NaN&mu=Infinity&momentumForm=HeavyBall&m=');
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(notes.map((n) => n.key).sort()).toEqual(['alpha', 'm', 'momentumForm', 'mu', 'sigma']);
    expect(noteFor(notes, 'momentumForm')[0].message).toContain(MOMENTUM_FORMS.join(' or '));
  });

  it('ignores unknown keys and the embed keys', () => {
    const { config, notes, backend } = readUrl('?panel=race&controls=0&theme=dark&autoplay=1&scene=learn&foo=bar&utm_source=x&constructor=1&__proto__=1');
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(notes).toEqual([]);
    expect(backend).toBeNull();
  });

  it('a parameter in the wrong case is ignored with a note naming the right key', () => {
    const { config, notes } = readUrl('?GAMMA=0.1&Beta=0.2');
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(notes.map((n) => n.key)).toEqual(['GAMMA', 'Beta']);
    expect(notes[0].message).toContain('did you mean gamma?');
  });

  it('a key given twice uses the first value, with one note for the key', () => {
    const { config, notes } = readUrl('?gamma=0.5&gamma=0.7&N=1e9&N=5');
    expect(config.gamma).toBe(0.5);
    expect(config.N).toBe(2000);
    expect(notes.map((n) => n.key)).toEqual(['N', 'gamma']);
    expect(notes[0].message).toMatch(/using 2000.*given 2 times/);
  });

  it('hex, octal and binary are not numbers here', () => {
    const { config, notes } = readUrl('?N=0x10&m=0o7&P=0b11&t=0x5');
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(notes.map((n) => n.key)).toEqual(['P', 'N', 'm', 't']);
  });

  it('quotes a long value cut to 40 characters', () => {
    const long = 'x'.repeat(10_000);
    const { notes } = readUrl(`?beta=${long}&scene=${long}&backend=${long}&theme=${long}&t=${long}`);
    expect(notes.map((n) => n.key).sort()).toEqual(['backend', 'beta', 'scene', 't', 'theme']);
    for (const n of notes) {
      expect(n.message, n.key).toContain(`${'x'.repeat(40)}…`);
      expect(n.message.length, n.key).toBeLessThan(200);
    }
  });

  it.each([
    ['webgl', 'webgl', 0],
    ['wasm', 'wasm', 0],
    ['cpu', 'cpu', 0],
    ['auto', null, 0],
    ['bogus', null, 1],
    ['WebGL', null, 1],
  ] as const)('backend=%s', (asked, backend, notes) => {
    const read = readUrl(`?backend=${asked}&gamma=0.5`);
    expect(read.backend).toBe(backend);
    expect(read.notes).toHaveLength(notes);
    if (notes) {
      expect(read.notes[0].key).toBe('backend');
      expect(read.notes[0].message).toContain(asked);
    }
    expect(read.config.gamma).toBe(0.5);
  });

  it.each([
    ['1', 1, 0],
    ['2', 2, 0],
    ['auto', null, 0],
    ['3', null, 1],
    ['two', null, 1],
  ] as const)('threads=%s', (asked, threads, notes) => {
    const read = readUrl(`?threads=${asked}`);
    expect(read.threads).toBe(threads);
    expect(read.notes).toHaveLength(notes);
    if (notes) expect(read.notes[0]).toEqual({ key: 'threads', message: `must be 1, 2 or auto (got "${asked}"); choosing automatically` });
  });
});

describe('writeUrl', () => {
  it('writes only the values that differ from the defaults', () => {
    expect(writeUrl('', DEFAULT_CONFIG)).toBe('');
    const search = writeUrl('', { ...DEFAULT_CONFIG, gamma: 0.5, momentumForm: 'heavyball' });
    expect(Object.fromEntries(new URLSearchParams(search))).toEqual({ gamma: '0.5', momentumForm: 'heavyball' });
    expect(search.startsWith('?')).toBe(true);
  });

  it('keeps unrelated keys and drops parameters set back to their default', () => {
    const search = writeUrl('?panel=race&gamma=0.5&beta=0.3&backend=wasm', { ...DEFAULT_CONFIG, beta: 0.3, T: 200 });
    const query = new URLSearchParams(search);
    expect(query.get('panel')).toBe('race');
    expect(query.get('backend')).toBe('wasm');
    expect(query.has('gamma')).toBe(false);
    expect(query.get('beta')).toBe('0.3');
    expect(query.get('T')).toBe('200');
    expect([...query.keys()].sort()).toEqual(['T', 'backend', 'beta', 'panel']);
    expect(writeUrl('?panel=race', DEFAULT_CONFIG)).toBe('?panel=race');
  });

  it('round trip: readUrl(writeUrl(config)) is the config, for random valid configs', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const config = randomConfig(mulberry32(seed));
      expect(validateConfig(config as unknown as Record<string, unknown>).ok, `seed ${seed}`).toBe(true);
      const search = writeUrl('?panel=race', config);
      const read = readUrl(search);
      expect(read.notes, `seed ${seed}: ${search}`).toEqual([]);
      expect(read.config, `seed ${seed}: ${search}`).toEqual(config);
      // and writing what was read changes nothing
      expect(writeUrl(search, read.config)).toBe(search);
    }
  });
});

describe('the view in a link', () => {
  it('reads a scene and a step; the step is clamped to 0..T and rounded, with a note', () => {
    expect(readUrl('?scene=memorize&t=900').view).toEqual({ scene: 'memorize', t: 900 });
    const clamped = readUrl('?T=100&t=5000');
    expect(clamped.view.t).toBe(100);
    expect(noteFor(clamped.notes, 't')[0].message).toContain('T = 100');
    expect(readUrl('?t=-3').view.t).toBe(0);
    expect(readUrl('?t=12.6').view.t).toBe(13);
  });

  it('reads the theme; anything else follows the system, with a note', () => {
    expect(readUrl('?theme=dark').theme).toBe('dark');
    expect(readUrl('?theme=light').notes).toEqual([]);
    const odd = readUrl('?theme=%3Cb%3E');
    expect(odd.theme).toBe('auto');
    expect(noteFor(odd.notes, 'theme')).toHaveLength(1);
  });

  it.each(['nope', '2', '<script>', ''])('an unknown scene %j is ignored with a note', (scene) => {
    const read = readUrl(`?scene=${encodeURIComponent(scene)}`);
    expect(read.view.scene).toBeNull();
    expect(noteFor(read.notes, 'scene')).toHaveLength(1);
  });

  it.each(['abc', 'Infinity', 'NaN', ''])('an unreadable step %j is ignored with a note', (t) => {
    const read = readUrl(`?t=${t}`);
    expect(read.view.t).toBeNull();
    expect(noteFor(read.notes, 't')).toHaveLength(1);
  });

  it('shareUrl carries the changed parameters, the seed always, the scene and the step; readUrl restores them', () => {
    const config: Config = { ...DEFAULT_CONFIG, gamma: 0.99, beta: 0.08 };
    const link = shareUrl('https://example.org/explainer/?backend=wasm&t=3#figures', config, { scene: 'carry', t: 700 });
    const url = new URL(link);
    expect(url.pathname).toBe('/explainer/');
    expect(url.hash).toBe('#figures');
    expect(Object.fromEntries(url.searchParams)).toEqual({ backend: 'wasm', gamma: '0.99', beta: '0.08', seed: '0', scene: 'carry', t: '700' });
    const back = readUrl(url.search);
    expect(back.config).toEqual(config);
    expect(back.view).toEqual({ scene: 'carry', t: 700 });
    expect(back.notes).toEqual([]);
    // no scene, live view: neither key
    expect(new URL(shareUrl('https://example.org/?scene=data&t=5', DEFAULT_CONFIG, { scene: null, t: null })).search).toBe('?seed=0');
  });
});

describe('runs= (the what-ifs)', () => {
  it('reads the what-ifs after GD and GD+M, clamps an argument into its range with a note, and writes them back', async () => {
    const { lineupParam } = await import('../src/state/url');
    const read = readUrl('?runs=gdm-until=60,gd-eta=3&T=300');
    expect(read.lineup.map((c) => c.id)).toEqual(['gd', 'gdm', 'gdm-until', 'gd-eta']);
    expect(read.lineup.find((c) => c.id === 'gdm-until')?.arg).toBe(60);
    expect(read.notes).toEqual([]);
    expect(lineupParam(read.lineup)).toBe('gdm-until=60,gd-eta=3');
    const wild = readUrl('?runs=gdm-until=99999,nope,sgd=0&T=300');
    expect(wild.lineup.find((c) => c.id === 'gdm-until')?.arg).toBe(300);
    expect(wild.lineup.find((c) => c.id === 'sgd')?.arg).toBe(1);
    expect(wild.lineup.some((c) => (c.id as string) === 'nope')).toBe(false);
    expect(wild.notes.map((n) => n.key)).toEqual(['runs']);
    expect(wild.notes[0].message).toMatch(/nope/);
  });
});
