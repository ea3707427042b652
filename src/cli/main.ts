/**
 * `npm run sim`: GD and GD+M side by side, headless. `main` is the whole command with its I/O passed
 * in, so tests can run it in-process; sim.ts is the thin process entry around it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseLineup } from '../sim/lineup';
import { type Lineup, runLabel, runSpec } from '../sim/runs';
import { seedList } from '../sim/seeds';
import { type Dataset, generateDataset } from '../sim/data';
import type { Config } from '../sim/params';
import { CLI_DEFAULTS, type CliOptions, helpText, lineupErrors, parseArgs } from './args';
import { dumpChunks, readDump } from './dump';
import { type SeedResult, type SimOutput, csvChunks, jsonChunks, summarize } from './format';

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** A problem with what the user asked for: reported as `error: ...` lines, exit code 2. */
export class UsageError extends Error {
  readonly lines: string[];
  /** Whether to point at --help (for problems with the flags themselves). */
  readonly hint: boolean;
  constructor(lines: string | string[], hint = false) {
    const all = typeof lines === 'string' ? [lines] : lines;
    super(all.join('; '));
    this.lines = all;
    this.hint = hint;
  }
}

const HINT = 'run with --help for the flags and their ranges';

/** Writes text chunks to a file through a buffer, so thousands of small chunks make few system calls. */
function writeFile(file: string, flag: string, chunks: Iterable<string>): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'w');
  } catch (e) {
    throw new UsageError(`${flag} ${file}: cannot write it (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    let buffered: string[] = [];
    let size = 0;
    for (const chunk of chunks) {
      buffered.push(chunk);
      size += chunk.length;
      if (size > 1 << 20) {
        fs.writeSync(fd, buffered.join(''));
        buffered = [];
        size = 0;
      }
    }
    fs.writeSync(fd, buffered.join(''));
  } finally {
    fs.closeSync(fd);
  }
}

/** Fail before any work when an output file cannot be created (missing folder, or a folder itself). */
function checkWritable(file: string, flag: string): void {
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`${flag} ${file}: the folder ${dir} does not exist`);
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new UsageError(`${flag} ${file}: is a folder, not a file`);
}

function loadDump(file: string): { config: Config; data: Dataset } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--load ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--load ${file}: not valid JSON (${(e as Error).message})`);
  }
  const dump = readDump(json);
  if (!dump.ok) throw new UsageError(dump.errors.map((msg) => `--load ${file}: ${msg}`));
  return dump;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function rate(x: number | undefined): string {
  return x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(4);
}

/**
 * tfjs and the engine load only when there is something to train: `--help` and flag errors answer
 * without them (a few hundred milliseconds less).
 */
const engine = () => Promise.all([import('../engine/experiment'), import('./node-backends'), import('./sweep-output')]);

async function runSweep(options: CliOptions, io: CliIO): Promise<number> {
  const [, { startNodeBackend }, { computeSweepOutput, sweepCsv, sweepJson, sweepSummary }] = await engine();
  const config = { ...CLI_DEFAULTS, ...options.params };
  const out = computeSweepOutput(config, await startNodeBackend(options.backend));
  const text = options.format === 'csv' ? sweepCsv(out) : sweepJson(out);
  if (options.out !== undefined) writeFile(options.out, '--out', [text]);
  else io.stdout(text);
  io.stderr(sweepSummary(out));
  return 0;
}

async function run(options: CliOptions, io: CliIO): Promise<number> {
  const [{ runLineupSync }, { startNodeBackend }] = await engine();
  if (options.out !== undefined) checkWritable(options.out, '--out');
  if (options.sweep) return runSweep(options, io);
  if (options.dump !== undefined) checkWritable(options.dump, '--dump');

  const start = performance.now();
  let config: Config;
  let data: Dataset;
  if (options.load !== undefined) {
    const dump = loadDump(options.load);
    config = { ...dump.config, ...options.params };
    data = dump.data;
  } else {
    config = { ...CLI_DEFAULTS, ...options.params };
    data = generateDataset(config);
  }
  if (options.dump !== undefined) writeFile(options.dump, '--dump', dumpChunks(config, data));
  const backend = await startNodeBackend(options.backend);

  // With --load the run list's ranges are the file's (its T and N): checked now.
  let lineup: Lineup = options.lineup;
  if (options.runs !== undefined && options.load !== undefined) {
    const parsed = parseLineup(options.runs, config);
    if (!parsed.ok) throw new UsageError(lineupErrors(parsed.errors), true);
    lineup = parsed.lineup;
  }

  // Every run of a seed in one batch; the focus seed (config.seed) first, on the data already made.
  const trainStart = performance.now();
  const seeds: SeedResult[] = seedList(config).map((seed, s) => {
    const cfg = { ...config, seed };
    const runs = runLineupSync(cfg, s === 0 ? data : generateDataset(cfg), lineup);
    for (const { id } of lineup) if (!runs[id]) throw new Error(`the engine returned no run named ${id}`);
    return { seed, runs };
  });
  const trainMs = performance.now() - trainStart;

  const output: SimOutput = { config, backend, lineup, seeds };
  const chunks = options.format === 'csv' ? csvChunks(output) : jsonChunks(output, options.detail);
  if (options.out !== undefined) writeFile(options.out, '--out', chunks);
  else for (const chunk of chunks) io.stdout(chunk);

  const focus = seeds[0].runs;
  const finals = lineup.map(({ id: name }) => {
    const run = focus[name]!;
    const last = run.rows.at(-1);
    // A diverged run's NaN outputs count as no error at all: its error rates mean nothing.
    if (run.divergedAt !== null) return `${name} n/a (diverged)`;
    return `${name} ${rate(last?.testErr)} (small-margin ${rate(last?.testErrSmall)})`;
  });
  const wrote = [options.dump && `dump ${options.dump}`, options.out && `output ${options.out}`].filter(Boolean);
  io.stderr(
    `sim: ${backend} backend, ${seconds(performance.now() - start)} (training ${seconds(trainMs)}), T=${config.T}` +
      `${seeds.length > 1 ? `, seed ${config.seed} of ${seeds.length}` : ''}: ` +
      `final test error ${finals.join(', ')}${wrote.length ? `; wrote ${wrote.join(' and ')}` : ''}\n`,
  );
  if (seeds.length > 1) {
    const summary = summarize(output);
    for (const choice of lineup) {
      const r = summary[choice.id]!;
      const name = r.arg === null ? choice.id : `${choice.id}=${r.arg}`;
      io.stderr(
        `sim: ${name.padEnd(14)} ${runLabel(choice.id).padEnd(13)} test error over ${r.seeds} seeds: mean ${rate(r.testErr.mean)}, ` +
          `min ${rate(r.testErr.min)}, max ${rate(r.testErr.max)}${r.diverged ? ` (${r.diverged} diverged, left out)` : ''}\n`,
      );
    }
  }
  for (const s of seeds) {
    for (const { id: name } of lineup) {
      const t = s.runs[name]!.divergedAt;
      if (t === null) continue;
      const spec = runSpec(lineup.find((c) => c.id === name)!, config);
      const heavy = spec.form === 'heavyball' && spec.gamma > 0;
      io.stderr(
        `sim: ${name}${seeds.length > 1 ? ` (seed ${s.seed})` : ''} diverged at step ${t}: the learning rate ${name === 'gd-eta' ? "eta'" : 'eta'}=${spec.eta} is too large` +
          (heavy ? ` (the heavyball form takes steps up to eta/(1-gamma) = ${+(config.eta / (1 - config.gamma)).toPrecision(4)})` : '') +
          '; from there its numbers are not finite (null in JSON, NaN or inf in CSV)\n',
      );
    }
  }
  return 0;
}

/**
 * The whole command: parse `argv` (without the node and script names), run, write. Resolves to the
 * exit code: 0 done (also when a run diverged), 2 bad flags, values or dump file, 1 internal error.
 * Never throws.
 */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  try {
    const parsed = parseArgs(argv);
    if (!parsed.ok) throw new UsageError(parsed.errors, true);
    if (parsed.options.help) {
      io.stdout(helpText());
      return 0;
    }
    return await run(parsed.options, io);
  } catch (e) {
    if (e instanceof UsageError) {
      for (const line of e.lines) io.stderr(`error: ${line}\n`);
      if (e.hint) io.stderr(`(${HINT})\n`);
      return 2;
    }
    io.stderr(`sim: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
