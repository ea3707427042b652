/**
 * Hostile query strings, generated from a fixed seed (a failure names the string), through the
 * page's URL readers and the CLI's flag parser: nothing throws, every value the page would use is
 * within its bounds, every adjustment is noted, and nothing leaks onto Object.prototype.
 */
import { randomLcg } from 'd3-random';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../src/cli/args';
import { NODE_BACKENDS } from '../src/cli/node-backends';
import { BACKENDS } from '../src/engine/backend-names';
import { DATA_KEY, WORK_KEY, boundIssues } from '../src/sim/bounds';
import { type Config, DEFAULT_CONFIG, type NumericParamSpec, PARAMS, PARAM_KEYS, describeRange } from '../src/sim/params';
import { isSceneId } from '../src/sim/story';
import { validateConfig } from '../src/sim/validate';
import { THEMES, readUrl, writeUrl } from '../src/state/url';
import { readEmbed, readLarge } from '../src/ui/embed-params';
import { FIGURE_IDS } from '../src/view/figures';

const VIEW_KEYS = ['scene', 't', 'theme', 'panel', 'controls', 'autoplay', 'loop', 'large', 'backend'];
const ODD_KEYS = ['foo', 'GAMMA', 'ntest', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', ' N', 'a'.repeat(10_000), '<script>alert(1)</script>'];
const LONG = 'x'.repeat(10_000);
const HOSTILE_VALUES = [
  'NaN', 'Infinity', '-Infinity', '+Infinity', '1e308', '-1e308', '1e309', '-1', '-0', '0', '1', '2', '0.5', '-0.5', '3.7',
  '99999999999999999999', '2147483648', '-2147483649', '9007199254740993', '0x10', '0xff', '0o17', '0b101', '1_000', '1,5',
  '', ' ', '  7  ', '\t5', '5\n', '1e', 'e5', '.', '-.5', '5.', '1e-400', '1e+3', '12abc', 'true', 'null', 'undefined', '[]', '{}',
  'ema', 'heavyball', 'EMA', 'race', 'memorize', 'dark', 'auto', 'webgl', 'wasm', 'cpu', 'gamma,beta', 'gamma,gamma,foo,,',
  'ünïcødé', '数字', '🙂🙂', '\u202Eevil', '\u0000', 'a\u0007b',
  LONG, '9'.repeat(10_000), `${'gamma,'.repeat(2000)}beta`,
  '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "'><svg onload=alert(1)>", 'javascript:alert(1)',
  '${alert(1)}', '{{constructor.constructor("alert(1)")()}}', '__proto__', 'constructor', '%00', '%E0%A4%A', '%', '%%', '%zz', '%C0%AF',
];
/** Pieces put into the query string as they are, not encoded: broken percent-encoding, separators. */
const RAW_VALUES = ['%E0%A4%A', '%', '%zz', '%00', '%C0%AF', '%u0041', '1%2', '&&', '==', '=1=2', '+1', '1+1', '%2B1', '#frag', '?x=1'];

type Pair = [key: string, value: string, raw: boolean];

/** A random valid-looking value for a parameter, so some strings mix good values with bad ones. */
function plausible(key: string, rand: () => number): string {
  const spec = PARAMS.find((p) => p.key === key);
  if (!spec) return String(Math.floor(rand() * 100));
  if (spec.kind === 'enum') return spec.options[Math.floor(rand() * spec.options.length)];
  const { min, max } = spec as NumericParamSpec;
  const x = min + rand() * (max - min) * (rand() < 0.3 ? 1.5 : 1);
  return String(spec.kind === 'int' ? Math.round(x) : x);
}

function generate(mixtures: number, seed: number): Pair[][] {
  const rand = randomLcg(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const cases: Pair[][] = [];
  // every key with every hostile value, alone
  for (const key of [...PARAM_KEYS, ...VIEW_KEYS]) for (const value of HOSTILE_VALUES) cases.push([[key, value, false]]);
  // then random mixtures: several keys, repeated keys, raw pieces, a panel half of the time
  for (const end = cases.length + mixtures; cases.length < end; ) {
    const pairs: Pair[] = [];
    const n = 1 + Math.floor(rand() * 8);
    for (let i = 0; i < n; i++) {
      const key = rand() < 0.85 ? pick([...PARAM_KEYS, ...VIEW_KEYS]) : pick(ODD_KEYS);
      const r = rand();
      if (r < 0.15) pairs.push([key, pick(RAW_VALUES), true]);
      else if (r < 0.45) pairs.push([key, plausible(key, rand), false]);
      else pairs.push([key, pick(HOSTILE_VALUES), false]);
      if (rand() < 0.1) pairs.push([key, pick(HOSTILE_VALUES), false]); // the same key again
    }
    if (rand() < 0.5) pairs.push(['panel', pick([...FIGURE_IDS, ...HOSTILE_VALUES]), false]);
    cases.push(pairs);
  }
  return cases;
}

const toSearch = (pairs: Pair[]): string =>
  `?${pairs.map(([k, v, raw]) => `${encodeURIComponent(k)}=${raw ? v : encodeURIComponent(v)}`).join('&')}`;

const CASES = generate(1500, 20260707);
const SEARCHES = CASES.map(toSearch);

/** What a value reads as if it is exactly valid for the key (decimal, in range, integral), else undefined. */
function exactValue(key: string, value: string): number | string | undefined {
  const spec = PARAMS.find((p) => p.key === key)!;
  if (spec.kind === 'enum') return (spec.options as readonly string[]).includes(value) ? value : undefined;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(value.trim())) return undefined;
  const x = Number(value) + 0;
  if (!Number.isFinite(x) || x < spec.min || x > spec.max) return undefined;
  if (spec.kind === 'int' && !Number.isInteger(x)) return undefined;
  return x;
}

function expectWithinBounds(config: Config, where: string) {
  expect(Object.keys(config).sort(), where).toEqual([...PARAM_KEYS].sort());
  for (const spec of PARAMS) {
    const x = config[spec.key];
    if (spec.kind === 'enum') {
      expect(spec.options, `${where} ${spec.key}`).toContain(x);
      continue;
    }
    expect(typeof x, `${where} ${spec.key}`).toBe('number');
    const n = x as number;
    expect(Number.isFinite(n) && n >= spec.min && n <= spec.max, `${where} ${spec.key} = ${n}`).toBe(true);
    if (spec.kind === 'int') expect(Number.isInteger(n), `${where} ${spec.key} = ${n}`).toBe(true);
    expect(Object.is(n, -0), `${where} ${spec.key} is -0`).toBe(false);
  }
  expect(boundIssues(config), where).toEqual([]);
  expect(validateConfig(config as unknown as Record<string, unknown>).ok, where).toBe(true);
}

const protoNames = () => Object.getOwnPropertyNames(Object.prototype).sort();
let protoBefore: string[];
beforeAll(() => {
  protoBefore = protoNames();
});
afterAll(() => {
  // nothing the readers did added to or replaced anything on Object.prototype
  expect(protoNames()).toEqual(protoBefore);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe(`${SEARCHES.length} hostile query strings`, () => {
  it('the set is large and hostile enough', () => {
    expect(SEARCHES.length).toBeGreaterThanOrEqual(500);
    expect(new Set(SEARCHES).size).toBeGreaterThan(3000);
    expect(SEARCHES.some((s) => s.includes('%E0%A4%A'))).toBe(true);
    expect(SEARCHES.some((s) => s.length > 10_000)).toBe(true);
  });

  it('readUrl never throws; every value is within its bounds; every adjustment has a note', () => {
    const crashes: string[] = [];
    for (const search of SEARCHES) {
      let read: ReturnType<typeof readUrl>;
      try {
        read = readUrl(search);
      } catch (e) {
        crashes.push(`${search.slice(0, 200)}: ${String(e)}`);
        continue;
      }
      const where = search.slice(0, 200);
      const { config, notes, backend, view, theme } = read;
      expectWithinBounds(config, where);
      expect(backend === null || (BACKENDS as readonly string[]).includes(backend), where).toBe(true);
      expect((THEMES as readonly string[]).includes(theme), where).toBe(true);
      expect(view.scene === null || isSceneId(view.scene), where).toBe(true);
      expect(view.t === null || (Number.isInteger(view.t) && view.t >= 0 && view.t <= config.T), where).toBe(true);
      // notes: one per key, short, no control characters (a 10,000-character value is quoted cut short)
      const keys = notes.map((n) => n.key);
      expect(new Set(keys).size, where).toBe(keys.length);
      for (const n of notes) {
        expect(n.key.length + n.message.length, where).toBeLessThan(600);
        // eslint-disable-next-line no-control-regex
        expect(/[\u0000-\u001f\u007f-\u009f]/.test(n.key + n.message), where).toBe(false);
      }
      // every parameter the URL gave is either used exactly or noted (the counts may be noted by a bound)
      const query = new URLSearchParams(search);
      for (const spec of PARAMS) {
        const given = query.get(spec.key);
        if (given === null) continue;
        const exact = exactValue(spec.key, given);
        const boundNoted = (spec.key === 'N' || spec.key === 'Ntest') && (keys.includes(DATA_KEY) || keys.includes(WORK_KEY));
        if (exact === undefined || config[spec.key] !== exact) expect(keys.includes(spec.key) || boundNoted, `${where}: ${spec.key}`).toBe(true);
        else if (!boundNoted && query.getAll(spec.key).length === 1) expect(keys.includes(spec.key), `${where}: ${spec.key} noted though exact`).toBe(false);
      }
      if (query.has('backend') && backend === null && query.get('backend') !== 'auto' && query.get('backend') !== '') expect(keys, where).toContain('backend');
      if (query.has('scene') && view.scene === null) expect(keys, where).toContain('scene');
      if (query.has('theme') && theme !== query.get('theme')) expect(keys, where).toContain('theme');
      // round trip: what the page writes back reads as the same config, with no note about the parameters
      const written = writeUrl(search, config);
      const again = readUrl(written);
      expect(again.config, where).toEqual(config);
      for (const key of PARAM_KEYS) expect(again.notes.map((n) => n.key), where).not.toContain(key);
      expect(again.notes.map((n) => n.key), where).not.toContain(DATA_KEY);
    }
    expect(crashes).toEqual([]);
  });

  it('the embed readers never throw; the panel is known or null, the quoted values are short', () => {
    const sliders = PARAMS.filter((p) => p.kind !== 'enum').map((p) => p.key);
    let embeds = 0;
    for (const search of SEARCHES) {
      const where = search.slice(0, 200);
      expect(typeof readLarge(search), where).toBe('boolean');
      const embed = readEmbed(search);
      if (!new URLSearchParams(search).has('panel')) {
        expect(embed, where).toBeNull();
        continue;
      }
      embeds++;
      expect(embed, where).not.toBeNull();
      const { panel, asked, controls, autoplay, loop, notes } = embed!;
      expect(panel === null || (FIGURE_IDS as readonly string[]).includes(panel), where).toBe(true);
      expect([...asked].length, where).toBeLessThanOrEqual(41);
      expect(new Set(controls).size, where).toBe(controls.length);
      for (const key of controls) expect(sliders, where).toContain(key);
      expect(typeof autoplay === 'boolean' && typeof loop === 'boolean', where).toBe(true);
      for (const n of notes) expect(n.length, where).toBeLessThan(600);
    }
    expect(embeds).toBeGreaterThan(500);
  });
});

describe('the same hostile values as CLI flags (parseArgs in-process)', () => {
  /** The query's pairs as flags: --key=value, or --key value when the value cannot be read as a flag. */
  const ARGVS = CASES.map((pairs, i) =>
    pairs.flatMap(([k, v]) => (i % 2 === 0 || v.startsWith('--') ? [`--${k}=${v}`] : [`--${k}`, v])),
  );

  it(`${ARGVS.length} argument lists: never throws; accepts exactly the valid ones; names each bad flag with its range`, () => {
    let rejected = 0;
    for (const argv of ARGVS) {
      const where = JSON.stringify(argv).slice(0, 200);
      const result = parseArgs(argv);
      // the oracle, written independently of the parser
      const names = argv.filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=')[0]);
      const values = new Map<string, string>();
      let valid = names.length === new Set(names).size;
      for (let i = 0; i < argv.length; i++) {
        if (!argv[i].startsWith('--')) continue;
        const [name, ...rest] = argv[i].slice(2).split('=');
        const value = rest.length ? rest.join('=') : argv[i + 1];
        values.set(name, value);
        if ((PARAM_KEYS as readonly string[]).includes(name)) valid &&= value !== undefined && exactValue(name, value) !== undefined;
        else if (name === 'backend') valid &&= (NODE_BACKENDS as readonly string[]).includes(value);
        else valid = false;
      }
      if (valid) {
        const params = Object.fromEntries(PARAM_KEYS.filter((k) => values.has(k)).map((k) => [k, exactValue(k, values.get(k)!)]));
        valid = boundIssues({ ...DEFAULT_CONFIG, ...params } as Config).length === 0;
      }
      expect(result.ok, where).toBe(valid);
      if (result.ok) {
        expectWithinBounds({ ...DEFAULT_CONFIG, ...result.options.params }, where);
        continue;
      }
      rejected++;
      expect(result.errors.length, where).toBeGreaterThan(0);
      for (const e of result.errors) expect(e.length, where).toBeLessThan(600);
      for (const [name, value] of values) {
        const spec = PARAMS.find((p) => p.key === name);
        if (!spec || names.filter((n) => n === name).length > 1) continue;
        const bad = value === undefined || exactValue(name, value) === undefined;
        if (bad) expect(result.errors.some((e) => e.startsWith(`--${name} `) && e.includes(describeRange(spec))), `${where}: --${name}`).toBe(true);
      }
    }
    expect(rejected).toBeGreaterThan(ARGVS.length / 2);
  });
});
