/**
 * The --dump / --load file: the exact data set, feature and initial filters of a run, as plain JSON,
 * so the run can be reproduced in numpy or PyTorch (or fed back with --load).
 */
import { type Dataset, type Split, signalCoefficients } from '../sim/data';
import type { Config, ParamKey } from '../sim/params';
import { validateConfig } from '../sim/validate';

/** Written into every dump as its `format` field: enough to reproduce a run without reading our code. */
export const DUMP_FORMAT = [
  'momentum-explainer dump v1 (Jelassi & Li, ICML 2022 setting).',
  'Layout: train.X[i][j][k] = coordinate k of patch j of training example i (N x P x d); test.X likewise (Ntest x P x d);',
  'y[i] in {-1, +1}; small[i] = 1 if example i has the small margin beta, 0 if the large margin alpha;',
  'signalPatch[i] = the index j of its signal patch, X[i][j] = margin * y[i] * wStar (other patches: noise orthogonal to wStar);',
  'wStar: the shared unit feature (d); W0[r][k]: initial filter r (m x d), the same for both runs.',
  'Every number is a float32 value written in decimal: read them as float32 to reproduce the run bit for bit.',
  'Model: f(X) = sum_r sum_j <w_r, X[j]>^3 (cubic activation, output weights fixed to 1).',
  'Loss: mean over training examples of log(1 + exp(-y f(X))); an example counts as an error when y f(X) <= 0.',
  'Gradient: grad_{w_r} = -(1/N) sum_i y_i sigmoid(-y_i f(X_i)) sum_j 3 <w_r, X_i[j]>^2 X_i[j] (full batch).',
  'GD: W <- W - eta grad.',
  "GD+M with config.momentumForm 'ema' (the paper's): g <- gamma g + (1 - gamma) grad; W <- W - eta g.",
  "GD+M with 'heavyball': v <- gamma v + grad; W <- W - eta v.",
  'Buffers start at 0; both runs start from W0 and take T steps; trace row t describes W_t, before the update from step t.',
].join(' ');

/** The shortest decimal that reads back as the same float32 (at most 9 significant digits). */
export function f32(x: number): number {
  for (const p of [6, 7, 8]) {
    const v = Number(x.toPrecision(p));
    if (Math.fround(v) === x) return v;
  }
  return Number(x.toPrecision(9));
}

function vector(a: ArrayLike<number>, from = 0, to = a.length): string {
  const parts: string[] = [];
  for (let k = from; k < to; k++) parts.push(JSON.stringify(f32(a[k])));
  return `[${parts.join(',')}]`;
}

function* splitChunks(split: Split, P: number, d: number): Generator<string> {
  yield '{"X":[';
  for (let i = 0; i < split.count; i++) {
    const patches: string[] = [];
    for (let j = 0; j < P; j++) patches.push(vector(split.X, (i * P + j) * d, (i * P + j + 1) * d));
    yield `${i ? ',' : ''}\n[${patches.join(',')}]`;
  }
  yield `],\n"y":${JSON.stringify(Array.from(split.y))},\n"small":${JSON.stringify(Array.from(split.small))},\n`;
  yield `"signalPatch":${JSON.stringify(Array.from(split.signalPatch))}}`;
}

/**
 * The dump as a sequence of text chunks (one training example per line), so a large data set never
 * has to exist as one string: {format, config, wStar, train: {X, y, small, signalPatch}, test, W0}.
 */
export function* dumpChunks(config: Config, data: Dataset): Generator<string> {
  const { d, P, m } = data;
  yield `{"format":${JSON.stringify(DUMP_FORMAT)},\n"config":${JSON.stringify(config)},\n"wStar":${vector(data.wStar)},\n"train":`;
  yield* splitChunks(data.train, P, d);
  yield ',\n"test":';
  yield* splitChunks(data.test, P, d);
  const rows: string[] = [];
  for (let r = 0; r < m; r++) rows.push(vector(data.W0, r * d, (r + 1) * d));
  yield `,\n"W0":[\n${rows.join(',\n')}]}\n`;
}

export type DumpResult = { ok: true; config: Config; data: Dataset } | { ok: false; errors: string[] };

/** Size keys every dump must state, so the arrays can be checked against them. */
const SIZE_KEYS: readonly ParamKey[] = ['d', 'P', 'N', 'Ntest', 'm'];
const MAX_ERRORS = 12;

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function show(x: unknown): string {
  const s = JSON.stringify(x) ?? String(x);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/**
 * Read a dump (parsed JSON), checking every shape against its config. Shapes and values are checked
 * strictly; the data themselves may come from anywhere (not only from our generator).
 */
export function readDump(json: unknown): DumpResult {
  const errors: string[] = [];
  const fail = (msg: string) => {
    if (errors.length < MAX_ERRORS) errors.push(msg);
    return false;
  };
  if (!isObject(json)) return { ok: false, errors: ['the file is not a JSON object {format, config, wStar, train, test, W0}'] };

  const given = json.config;
  if (!isObject(given)) return { ok: false, errors: ['config: missing (an object with the run parameters)'] };
  const checked = validateConfig(given);
  if (!checked.ok) return { ok: false, errors: checked.issues.map((i) => `config.${i.key} ${i.message}`) };
  const missing = SIZE_KEYS.filter((k) => given[k] === undefined);
  if (missing.length) return { ok: false, errors: [`config: missing ${missing.join(', ')} (the sizes of the arrays)`] };
  const config = checked.config;
  const { d, P, N, Ntest, m } = config;

  /** Fill `out` from a (nested) array of finite numbers of the given shape; false on the first problem. */
  function numbers(x: unknown, shape: readonly number[], names: readonly string[], out: Float32Array, where: string): boolean {
    let at = 0;
    const walk = (v: unknown, depth: number, path: string): boolean => {
      if (depth === shape.length) {
        if (typeof v !== 'number' || !Number.isFinite(v)) return fail(`${path} must be a finite number (got ${show(v)})`);
        out[at++] = v;
        return true;
      }
      if (!Array.isArray(v)) return fail(`${path} must be an array of ${shape[depth]} ${names[depth]} (got ${show(v)})`);
      if (v.length !== shape[depth]) return fail(`${path} has ${v.length} entries, expected ${shape[depth]} ${names[depth]}`);
      for (let k = 0; k < v.length; k++) if (!walk(v[k], depth + 1, `${path}[${k}]`)) return false;
      return true;
    };
    return walk(x, 0, where);
  }

  function integers(x: unknown, count: number, allowed: (v: number) => boolean, what: string, where: string): number[] | undefined {
    if (!Array.isArray(x)) return void fail(`${where} must be an array of ${count} values, each ${what} (got ${show(x)})`);
    if (x.length !== count) return void fail(`${where} has ${x.length} entries, expected ${count}`);
    const bad = x.findIndex((v) => typeof v !== 'number' || !allowed(v));
    if (bad >= 0) return void fail(`${where}[${bad}] must be ${what} (got ${show(x[bad])})`);
    return x as number[];
  }

  function split(x: unknown, count: number, countKey: string, where: string): Split | undefined {
    if (!isObject(x)) return void fail(`${where}: missing (an object {X, y, small, signalPatch})`);
    const X = new Float32Array(count * P * d);
    const okX = numbers(x.X, [count, P, d], [`examples (config.${countKey})`, 'patches (config.P)', 'coordinates (config.d)'], X, `${where}.X`);
    const y = integers(x.y, count, (v) => v === 1 || v === -1, '-1 or 1', `${where}.y`);
    const small = integers(x.small, count, (v) => v === 0 || v === 1, '0 or 1', `${where}.small`);
    const signalPatch = integers(x.signalPatch, count, (v) => Number.isInteger(v) && v >= 0 && v < P, `an integer from 0 to ${P - 1}`, `${where}.signalPatch`);
    if (!okX || !y || !small || !signalPatch) return undefined;
    return { count, X, y: Int8Array.from(y), small: Uint8Array.from(small), signalPatch: Uint8Array.from(signalPatch) };
  }

  const wStar = new Float32Array(d);
  const okW = numbers(json.wStar, [d], ['numbers (config.d)'], wStar, 'wStar');
  const train = split(json.train, N, 'N', 'train');
  const test = split(json.test, Ntest, 'Ntest', 'test');
  const W0 = new Float32Array(m * d);
  const okW0 = numbers(json.W0, [m, d], ['filters (config.m)', 'coordinates (config.d)'], W0, 'W0');
  if (!okW || !train || !test || !okW0 || errors.length) return { ok: false, errors };
  for (const [where, s] of [['train', train], ['test', test]] as const) {
    const i = signalCoefficients(s, P, d, wStar).firstBad;
    if (i >= 0) fail(`${where}.X[${i}][${s.signalPatch[i]}] is the signal patch (${where}.signalPatch[${i}]) and must be a multiple of wStar (margin * y * wStar): the model trains on the paper's data`);
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, config, data: { d, P, m, wStar, train, test, W0 } };
}

