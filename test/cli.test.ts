/**
 * `npm run sim`: the real command, spawned the way npm runs it (tsx from node_modules/.bin), for what
 * users see (output, exit codes, the dump round trip); and `main` in-process for the many small cases.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASET_KEYS } from '../src/sim/params';
import { type CliIO, main } from '../src/cli/main';
import { TRACE_COLUMNS } from '../src/cli/format';
import { generateDataset } from '../src/sim/data';
import { type Config, DEFAULT_CONFIG, PARAMS } from '../src/sim/params';
import { CLI_DEFAULTS, helpText } from '../src/cli/args';
import { loggedSteps } from '../src/sim/trace';

const ROOT = path.resolve(__dirname, '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

/** Small enough to train in a fraction of a second; T/logEvery gives 5 logged steps. */
const SMALL = { N: 60, Ntest: 100, T: 40, logEvery: 10, logDense: 0, d: 10, m: 5 } as const;
const SMALL_ARGS = Object.entries(SMALL).flatMap(([k, v]) => [`--${k}`, String(v)]);
// The CLI's defaults are the table's with one seed (src/cli/args.ts CLI_DEFAULTS).
const SMALL_CONFIG: Config = { ...CLI_DEFAULTS, ...SMALL };
const STEPS = loggedSteps(SMALL.T, SMALL.logEvery).length;

interface Spawned {
  code: number | null;
  stdout: string;
  stderr: string;
}

function sim(args: string[]): Promise<Spawned> {
  return new Promise((resolve) => {
    execFile(TSX, ['src/cli/sim.ts', ...args], { cwd: ROOT, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

async function inProcess(args: string[]): Promise<Spawned> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** User errors never show a stack trace. */
function expectNoStack(stderr: string) {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toMatch(/internal error/);
}

type Output = {
  config: Config;
  backend: string;
  runs: Record<'gd' | 'gdm', { final: Record<string, number>; divergedAt: number | null; trace: Record<string, number>[]; detail?: Record<string, number[][]> }>;
};

let dir: string;
let first: Spawned;
let output: Output;
let dumpFile: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-cli-'));
  dumpFile = path.join(dir, 'dump.json');
  first = await sim([...SMALL_ARGS, '--dump', dumpFile]);
  output = JSON.parse(first.stdout);
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('npm run sim (spawned)', () => {
  it('prints {config, backend, runs} as JSON on stdout and a summary on stderr', () => {
    expect(first.code).toBe(0);
    expect(Object.keys(output)).toEqual(['config', 'backend', 'lineup', 'runs', 'seeds', 'summary']);
    expect(output.config).toEqual(SMALL_CONFIG);
    expect(['wasm', 'cpu']).toContain(output.backend);
    expect(Object.keys(output.runs)).toEqual(['gd', 'gdm']);
    for (const run of Object.values(output.runs)) {
      expect(run.trace).toHaveLength(STEPS);
      expect(run.trace.map((r) => r.t)).toEqual(loggedSteps(SMALL.T, SMALL.logEvery));
      expect(run.final).toEqual(run.trace.at(-1));
      expect(Object.keys(run.final)).toEqual(TRACE_COLUMNS);
      expect(run.divergedAt).toBeNull();
      expect(run.detail).toBeUndefined();
    }
    // Same start (W_0; only the step direction gStep differs: GD+M's buffer holds (1 - gamma) grad), different optimizers.
    expect({ ...output.runs.gd.trace[0], gStep: 0 }).toEqual({ ...output.runs.gdm.trace[0], gStep: 0 });
    expect(output.runs.gd.final).not.toEqual(output.runs.gdm.final);
    expect(first.stderr).toMatch(/^sim: (wasm|cpu) backend, [\d.]+ s .*final test error gd [\d.]+ .*gdm [\d.]+/);
    expect(first.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--dump writes the exact data: N x P x d inputs, m x d filters, equal to generateDataset', () => {
    const dump = JSON.parse(fs.readFileSync(dumpFile, 'utf8'));
    expect(Object.keys(dump)).toEqual(['format', 'config', 'wStar', 'train', 'test', 'W0']);
    expect(dump.format).toMatch(/W <- W - eta grad/);
    expect(dump.format).toMatch(/g <- gamma g \+ \(1 - gamma\) grad/);
    expect(dump.format).toMatch(/v <- gamma v \+ grad/);
    expect(dump.config).toEqual(SMALL_CONFIG);
    const { d, P, N, Ntest, m } = SMALL_CONFIG;
    const data = generateDataset(SMALL_CONFIG);
    for (const [name, split, count] of [['train', data.train, N], ['test', data.test, Ntest]] as const) {
      const s = dump[name];
      expect(Object.keys(s)).toEqual(['X', 'y', 'small', 'signalPatch']);
      expect(s.X).toHaveLength(count);
      for (const example of s.X) {
        expect(example).toHaveLength(P);
        for (const patch of example) expect(patch).toHaveLength(d);
      }
      // Written as float32 values: reading them back as float32 gives the very same numbers.
      expect(Float32Array.from(s.X.flat(2) as number[])).toEqual(split.X);
      expect(s.y).toEqual(Array.from(split.y));
      expect(s.small).toEqual(Array.from(split.small));
      expect(s.signalPatch).toEqual(Array.from(split.signalPatch));
    }
    expect(dump.W0).toHaveLength(m);
    for (const row of dump.W0) expect(row).toHaveLength(d);
    expect(Float32Array.from(dump.W0.flat())).toEqual(data.W0);
    expect(Float32Array.from(dump.wStar)).toEqual(data.wStar);
  });

  it('--load trains on the dump and reproduces the original traces exactly (--out writes the file)', async () => {
    const outFile = path.join(dir, 'loaded.json');
    const loaded = await sim(['--load', dumpFile, '--out', outFile]);
    expect(loaded.code).toBe(0);
    expect(loaded.stdout).toBe('');
    expect(loaded.stderr).toMatch(/wrote output/);
    const again: Output = JSON.parse(fs.readFileSync(outFile, 'utf8'));
    expect(again.config).toEqual(SMALL_CONFIG);
    expect(again.runs).toEqual(output.runs);
  });

  it('--csv writes a header and one line per run and logged step', async () => {
    const csv = await sim([...SMALL_ARGS, '--csv']);
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(['run', 'arg', 'seed', ...TRACE_COLUMNS].join(','));
    expect(lines).toHaveLength(1 + 2 * STEPS);
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.map((r) => r[0])).toEqual([...Array(STEPS).fill('gd'), ...Array(STEPS).fill('gdm')]);
    expect(new Set(rows.map((r) => `${r[1]}/${r[2]}`))).toEqual(new Set(['/0']));
    // Same numbers as the JSON output.
    const json = [...output.runs.gd.trace, ...output.runs.gdm.trace];
    rows.forEach((r, k) => TRACE_COLUMNS.forEach((col, j) => expect(Number(r[j + 3])).toBe(json[k][col])));
  });

  it('exits 2 and names every bad flag with its range, with no stack trace', async () => {
    const bad = await sim(['--foo', '1', '--gamma', '1.5', '--beta', 'abc', '--T']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^error: unknown flag --foo\b/m);
    expect(bad.stderr).toContain('error: --gamma must be a number from 0 to 0.999 (got "1.5")');
    expect(bad.stderr).toContain('error: --beta must be a number from 0 to 5 (got "abc")');
    expect(bad.stderr).toContain('error: --T needs a value: an integer from 1 to 20000');
    expectNoStack(bad.stderr);
  });

  it('exits 2 on hostile values (NaN, Infinity, hex, script, a 10,000-character value), quoting each cut short', async () => {
    const long = 'x'.repeat(10_000);
    const bad = await sim(['--N=NaN', '--eta', 'Infinity', '--d', '0x10', '--beta', '<script>alert(1)</script>', '--gamma', long, `--${long}`, '1']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('error: --N must be an integer from 10 to 2000 (got "NaN")');
    expect(bad.stderr).toContain('error: --eta must be a number from 0.0001 to 100 (got "Infinity")');
    expect(bad.stderr).toContain('error: --d must be an integer from 3 to 200 (got "0x10")');
    expect(bad.stderr).toContain('error: --beta must be a number from 0 to 5 (got "<script>alert(1)</script>")');
    expect(bad.stderr).toContain(`error: --gamma must be a number from 0 to 0.999 (got "${'x'.repeat(40)}…")`);
    expect(bad.stderr).toMatch(/error: unknown flag --x{38}…/);
    expect(bad.stderr.length).toBeLessThan(2000);
    expectNoStack(bad.stderr);
  });

  it('exits 2 when the sizes together break a bound (memory, work per step), naming the flags', async () => {
    const bad = await sim(['--d', '200', '--P', '10', '--N', '2000', '--Ntest', '10000', '--m', '64']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('error: --N, --Ntest, --P and --d together: (N + Ntest)·P·d = (2000 + 10000)·10·200 = 24,000,000 is over the data bound of 5,000,000 numbers');
    expect(bad.stderr).toContain('error: --N, --P, --d and --m together: N·P·d·m = 2000·10·200·64 = 256,000,000 is over the work bound of 32,000,000 per step');
    expectNoStack(bad.stderr);
  });

  it('exits 2 when --load is combined with a flag that changes the data', async () => {
    const bad = await sim(['--load', dumpFile, '--beta', '0.2', '--T', '20']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/error: --beta changes the data, which --load takes from its file/);
    expect(bad.stderr).not.toMatch(/--T changes/);
    expectNoStack(bad.stderr);
  });

  it('--help exits 0 and lists every parameter with its default and range', async () => {
    const help = await sim(['--help']);
    expect(help.code).toBe(0);
    expect(help.stderr).toBe('');
    for (const p of PARAMS) {
      expect(help.stdout).toMatch(new RegExp(`--${p.key}\\s+${p.description.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      expect(help.stdout).toContain(`default ${p.default}; `);
    }
    for (const flag of ['--json', '--csv', '--out', '--dump', '--load', '--backend', '--detail', '--runs', '--sweep']) expect(help.stdout).toContain(flag);
  });
});

describe('main (in-process)', () => {
  it.each([
    [['--foo', '1'], /error: unknown flag --foo/],
    [['--ntest', '100'], /error: unknown flag --ntest \(did you mean --Ntest\?\)/],
    [['--gamma', '1.5'], /error: --gamma must be a number from 0 to 0.999 \(got "1.5"\)/],
    [['--gamma=-0.1'], /error: --gamma must be a number from 0 to 0.999 \(got "-0.1"\)/],
    [['--N', '25.5'], /error: --N must be an integer from 10 to 2000 \(got "25.5"\)/],
    [['--beta', 'abc'], /error: --beta must be a number from 0 to 5 \(got "abc"\)/],
    [['--beta='], /error: --beta must be a number from 0 to 5 \(got ""\)/],
    [['--momentumForm', 'adam'], /error: --momentumForm must be ema or heavyball \(got "adam"\)/],
    [['--beta', '--T', '5'], /error: --beta needs a value: a number from 0 to 5/],
    [['--out'], /error: --out needs a value: FILE/],
    [['--json', '--csv'], /error: --json and --csv exclude each other/],
    [['--csv', '--detail'], /error: --detail applies to the JSON output only/],
    [['--backend', 'webgl'], /error: --backend must be wasm or cpu \(got "webgl"\)/],
    [['--json=yes'], /error: --json takes no value/],
    [['--T', '5', '--T', '6'], /error: --T is given more than once/],
    [['extra'], /error: unexpected argument "extra"/],
    [['--load', 'x.json', '--seed', '3'], /error: --seed changes the data/],
    [['--out', 'same.json', '--dump', 'same.json'], /error: --out and --dump name the same file/],
    [['--runs', 'gd,adam'], /error: --runs: unknown run "adam"; runs are gd, gdm, gdm-until=K, gdm-from=K, gd-eta=eta', sgd=b, sgdm=b/],
    [['--runs', 'gdm-until=1600'], /error: --runs: gdm-until: K must be an integer from 0 to 1500 \(got "1600"\)/],
    [['--runs', 'gdm-until=100', '--T', '50'], /error: --runs: gdm-until: K must be an integer from 0 to 50 \(got "100"\)/],
    [['--runs', 'sgd=0'], /error: --runs: sgd: b must be an integer from 1 to 500 \(got "0"\)/],
    [['--runs', 'sgdm=501'], /error: --runs: sgdm: b must be an integer from 1 to 500 \(got "501"\)/],
    [['--runs', 'gd-eta'], /error: --runs: gd-eta needs its argument: gd-eta=eta', eta' is a number from 0.0001 to 100/],
    [['--runs', 'gdm,,sgd=5'], /error: --runs: an empty entry in the run list/],
    [['--runs', 'sgd=5,sgd=6'], /error: --runs: sgd is given more than once/],
    [['--runs'], /error: --runs needs a value: LIST/],
    [['--seeds', '11'], /error: --seeds must be an integer from 1 to 10 \(got "11"\)/],
    [['--seeds', '0'], /error: --seeds must be an integer from 1 to 10 \(got "0"\)/],
    [['--sweep', '--runs', 'sgd=5'], /error: --runs applies to the runs of one experiment, not to --sweep/],
    [['--load', 'x.json', '--seeds', '2'], /error: --seeds 2 trains other seeds' data sets, but --load/],
  ])('%j exits 2', async (args, message) => {
    const r = await inProcess(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/run with --help/);
    expectNoStack(r.stderr);
  });

  it('--runs and --seeds: every run of every seed, and a summary of the finals over seeds', async () => {
    const r = await inProcess([...SMALL_ARGS, '--runs', 'gdm-until=20,gdm-from=10,gd-eta=3,sgd=7,sgdm=7', '--seeds', '3', '--seed', '4']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const ids = ['gd', 'gdm', 'gdm-until', 'gdm-from', 'gd-eta', 'sgd', 'sgdm'];
    expect(out.lineup).toEqual([{ id: 'gd', arg: null }, { id: 'gdm', arg: null }, { id: 'gdm-until', arg: 20 }, { id: 'gdm-from', arg: 10 }, { id: 'gd-eta', arg: 3 }, { id: 'sgd', arg: 7 }, { id: 'sgdm', arg: 7 }]);
    expect(Object.keys(out.runs)).toEqual(ids);
    expect(out.seeds.map((s: { seed: number }) => s.seed)).toEqual([4, 5, 6]);
    // the focus seed's finals are the runs' finals; the other seeds are other data sets
    for (const id of ids) expect(out.seeds[0].runs[id].final).toEqual(out.runs[id].final);
    expect(out.seeds[1].runs.gd.final).not.toEqual(out.seeds[0].runs.gd.final);
    for (const id of ids) {
      const finals = out.seeds.map((s: { runs: Record<string, { final: { testErr: number } }> }) => s.runs[id].final.testErr);
      const { mean, min, max, count } = out.summary[id].testErr;
      expect(count).toBe(3);
      expect(mean).toBeCloseTo(finals.reduce((a: number, b: number) => a + b, 0) / 3, 12);
      expect([min, max]).toEqual([Math.min(...finals), Math.max(...finals)]);
    }
    expect(out.summary['gdm-until']).toMatchObject({ label: 'GD+M until K', arg: 20, seeds: 3, diverged: 0 });
    expect(r.stderr.split('\n').filter((l) => /test error over 3 seeds: mean [\d.]+, min [\d.]+, max [\d.]+/.test(l))).toHaveLength(7);
    // a seed alone gives what it gives inside a group of seeds
    const alone = JSON.parse((await inProcess([...SMALL_ARGS, '--runs', 'gdm-until=20,gdm-from=10,gd-eta=3,sgd=7,sgdm=7', '--seed', '5'])).stdout);
    for (const id of ids) expect(alone.runs[id].final).toEqual(out.seeds[1].runs[id].final);
    // CSV: one line per run, seed and logged step
    const csv = await inProcess([...SMALL_ARGS, '--runs', 'sgd=7', '--seeds', '2', '--csv']);
    const lines = csv.stdout.trimEnd().split('\n').slice(1).map((l) => l.split(','));
    expect(lines).toHaveLength(3 * 2 * STEPS);
    expect(lines.filter((l) => l[0] === 'sgd').map((l) => `${l[1]}/${l[2]}`)).toEqual([...Array(STEPS).fill('7/0'), ...Array(STEPS).fill('7/1')]);
  });

  it('--runs with --load: the ranges are the file\'s', async () => {
    const file = path.join(dir, 'short.json');
    expect((await inProcess([...SMALL_ARGS, '--dump', file, '--out', path.join(dir, 'short-out.json')])).code).toBe(0);
    const bad = await inProcess(['--load', file, '--runs', 'sgd=61']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/error: --runs: sgd: b must be an integer from 1 to 60 \(got "61"\)/);
    const good = await inProcess(['--load', file, '--runs', 'sgd=60']);
    expect(good.code).toBe(0);
    const out = JSON.parse(good.stdout);
    // batch N is the full batch: SGD with b = N is GD
    expect(out.runs.sgd.trace).toEqual(out.runs.gd.trace);
  });

  it('reports all problems at once', async () => {
    const r = await inProcess(['--d', '1', '--P', '99', '--eta', 'x']);
    expect(r.stderr.match(/^error: /gm)).toHaveLength(3);
  });

  it('every data parameter is refused with --load, every other one accepted', async () => {
    for (const key of DATASET_KEYS) {
      const r = await inProcess(['--load', path.join(dir, 'missing.json'), `--${key}`, String(DEFAULT_CONFIG[key])]);
      expect(r.stderr).toMatch(new RegExp(`error: --${key} changes the data`));
    }
    const r = await inProcess(['--load', path.join(dir, 'missing.json'), '--T', '10', '--eta', '0.5', '--gamma', '0.5', '--momentumForm', 'heavyball', '--logEvery', '5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --load .*missing\.json: cannot read it \(ENOENT\)\n$/);
  });

  it('--load with --T trains the dump with the new run length', async () => {
    const r = await inProcess(['--load', dumpFile, '--T', '20', '--logEvery', '5']);
    expect(r.code).toBe(0);
    const out: Output = JSON.parse(r.stdout);
    expect(out.config).toEqual({ ...SMALL_CONFIG, T: 20, logEvery: 5 });
    expect(out.runs.gd.trace.map((row) => row.t)).toEqual([0, 5, 10, 15, 20]);
    // The first 20 steps are the original run's.
    expect(out.runs.gd.trace[2]).toEqual(output.runs.gd.trace[1]);
    expect(out.runs.gdm.trace[4]).toEqual(output.runs.gdm.trace[2]);
  });

  it('rejects a malformed dump with exit 2, naming what is wrong', async () => {
    const good = JSON.parse(fs.readFileSync(dumpFile, 'utf8'));
    const cases: [string, (dump: typeof good) => unknown, RegExp][] = [
      ['not-json', () => '{"config": ', /not valid JSON/],
      ['array', () => [], /not a JSON object/],
      ['no-config', (x) => ({ ...x, config: undefined }), /config: missing/],
      ['bad-config', (x) => ({ ...x, config: { ...x.config, gamma: 2 } }), /config\.gamma must be a number from 0 to 0\.999/],
      ['short-X', (x) => ({ ...x, train: { ...x.train, X: x.train.X.slice(1) } }), /train\.X has 59 entries, expected 60 examples \(config\.N\)/],
      ['patch', (x) => ({ ...x, test: { ...x.test, X: x.test.X.map((e: number[][], i: number) => (i === 3 ? e.slice(1) : e)) } }), /test\.X\[3\] has 4 entries, expected 5 patches/],
      ['nan', (x) => ({ ...x, W0: x.W0.map((r: number[], i: number) => (i === 1 ? [...r.slice(1), 'a'] : r)) }), /W0\[1\]\[9\] must be a finite number/],
      ['label', (x) => ({ ...x, train: { ...x.train, y: x.train.y.map((v: number, i: number) => (i === 7 ? 0 : v)) } }), /train\.y\[7\] must be -1 or 1/],
      ['patch-index', (x) => ({ ...x, train: { ...x.train, signalPatch: x.train.signalPatch.map(() => 5) } }), /train\.signalPatch\[0\] must be an integer from 0 to 4/],
      ['wstar', (x) => ({ ...x, wStar: x.wStar.slice(2) }), /wStar has 8 entries, expected 10/],
      // The engine takes the signal patch as sig_i w* (src/engine/step.ts): any other vector there is refused, not trained on.
      ['signal-patch', (x) => ({ ...x, test: { ...x.test, X: x.test.X.map((e: number[][], i: number) => (i === 2 ? e.map((p, j) => (j === x.test.signalPatch[2] ? p.map((v, k) => v + (k === 0 ? 0.01 : 0)) : p)) : e)) } }),
        /test\.X\[2\]\[\d\] is the signal patch \(test\.signalPatch\[2\]\) and must be a multiple of wStar/],
    ];
    for (const [name, edit, message] of cases) {
      const file = path.join(dir, `${name}.json`);
      const content = edit(good);
      fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
      const r = await inProcess(['--load', file]);
      expect(r.code, name).toBe(2);
      expect(r.stdout, name).toBe('');
      expect(r.stderr, name).toMatch(message);
      expectNoStack(r.stderr);
    }
  });

  it('--detail adds per-filter and per-example arrays for every logged step', async () => {
    const r = await inProcess([...SMALL_ARGS, '--detail', '--beta=0.1']);
    expect(r.code).toBe(0);
    const out: Output = JSON.parse(r.stdout);
    expect(out.runs.gd.trace).toEqual(output.runs.gd.trace);
    for (const run of Object.values(out.runs)) {
      const detail = run.detail!;
      expect(Object.keys(detail)).toEqual(['c', 'gLarge', 'gSmall', 'gStep', 'signal', 'noise']);
      for (const key of ['c', 'gLarge', 'gSmall', 'gStep']) {
        expect(detail[key]).toHaveLength(STEPS);
        for (const block of detail[key]) expect(block).toHaveLength(SMALL.m);
      }
      for (const key of ['signal', 'noise']) {
        expect(detail[key]).toHaveLength(STEPS);
        for (const block of detail[key]) expect(block).toHaveLength(SMALL.N);
      }
      // The summary reads the detail: cMax is the largest c_r, signal + noise is y f.
      run.trace.forEach((row, k) => expect(Math.fround(row.cMax)).toBe(Math.fround(Math.max(...detail.c[k]))));
    }
  });

  it('a diverging run is reported on stderr, exits 0, and writes NaN as null', async () => {
    const r = await inProcess([...SMALL_ARGS, '--eta', '100', '--sigma0', '1']);
    expect(r.code).toBe(0);
    const out: Output = JSON.parse(r.stdout);
    expect(out.runs.gd.divergedAt).toBe(10);
    expect(out.runs.gd.final.loss).toBeNull();
    expect(r.stderr).toMatch(/sim: gd diverged at step 10: the learning rate eta=100 is too large/);
  });

  it('--out into a missing folder exits 2 before training', async () => {
    const r = await inProcess([...SMALL_ARGS, '--out', path.join(dir, 'no', 'such', 'out.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error: --out .*out\.json: the folder .* does not exist/);
  });
});

describe('the CLI default of one seed', () => {
  it('is the only default that differs from the page, and --help says so', () => {
    const differ = PARAMS.filter((p) => CLI_DEFAULTS[p.key] !== p.default).map((p) => p.key);
    expect(differ).toEqual(['seeds']);
    expect(DEFAULT_CONFIG.seeds).toBe(5);
    expect(helpText()).toMatch(/--seeds[^\n]*\n\s+default 1 here \(the page's default is 5\)/);
  });
});
