/**
 * Command-line flags of `npm run sim`: syntax and per-value checks only. Every problem is collected,
 * so one invocation reports all of them. Which config the values apply to is main.ts's business.
 */
import { DATA_KEY, WORK_KEY, boundIssues } from '../sim/bounds';
import { type Config, DATASET_KEYS, DEFAULT_CONFIG, type ParamKey, PARAMS, PARAM_KEYS, describeRange, isParamKey, paramSpec } from '../sim/params';
import { quote } from '../sim/quote';
import { parseParam } from '../sim/validate';
import { parseLineup, runSyntax } from '../sim/lineup';
import { type Lineup, PAIR_LINEUP, RUN_NAMES, runDef } from '../sim/runs';
import { NODE_BACKENDS, type NodeBackend } from './node-backend-names';

export type OutputFormat = 'json' | 'csv';

/**
 * The CLI's defaults: the parameter table's, except one seed. The page shows S = 5 seeds (summaries
 * beside the focus seed's full trajectory); the CLI prints every seed's trajectory, so S seeds take
 * S times as long (about 2 s each at the defaults): more seeds are one flag away (--seeds 5).
 */
export const CLI_DEFAULTS: Config = { ...DEFAULT_CONFIG, seeds: 1 };

/** Parameters that --load lets the command line override: all but those of the data set and W0. */
export const RUN_KEYS: readonly ParamKey[] = PARAM_KEYS.filter((k) => !DATASET_KEYS.includes(k));

export interface CliOptions {
  /** Parameter values given on the command line, already checked against their ranges. */
  params: Partial<Config>;
  format: OutputFormat;
  out?: string;
  dump?: string;
  load?: string;
  backend?: NodeBackend;
  detail: boolean;
  /** Train the phase map (the default grid over gamma and beta) instead of one pair of runs. */
  sweep: boolean;
  /** --runs as given; checked against the config once it is known (with --load: the file's). */
  runs?: string;
  /** The runs to train: --runs when it could be checked here, else the pair. */
  lineup: Lineup;
  help: boolean;
}

export type ParseResult = { ok: true; options: CliOptions } | { ok: false; errors: string[] };

interface FlagSpec {
  flag: string;
  /** Placeholder of the value, for flags that take one. */
  value?: string;
  help: string;
}

/** The flags that are not parameters, in the order --help lists them. */
export const OTHER_FLAGS: readonly FlagSpec[] = [
  { flag: '--json', help: 'write JSON (the default)' },
  { flag: '--csv', help: 'write CSV instead: a header, then one line per run and logged step' },
  { flag: '--out', value: 'FILE', help: 'write the output to FILE instead of stdout' },
  { flag: '--dump', value: 'FILE', help: 'also write the data set, w* and W0 to FILE (JSON), to reproduce the run elsewhere' },
  { flag: '--load', value: 'FILE', help: `train on the data and W0 of a dump; only ${RUN_KEYS.map((k) => `--${k}`).join(', ')} may be given with it` },
  { flag: '--backend', value: NODE_BACKENDS.join('|'), help: `tfjs backend (default: the first of ${NODE_BACKENDS.join(', ')} that starts)` },
  {
    flag: '--runs',
    value: 'LIST',
    help: `the runs, comma-separated (default gd,gdm; gd and gdm are always trained, first): ${RUN_NAMES.map(runSyntax).join(', ')}. ` +
      RUN_NAMES.filter((id) => runDef(id).arg).map((id) => `${id}: ${runDef(id).description}`).join('; '),
  },
  { flag: '--detail', help: 'JSON only: add per-filter and per-example arrays at every logged step (the focus seed)' },
  {
    flag: '--sweep',
    help: 'train the phase map instead: GD and GD+M over the default grid of gamma x beta (the page\'s phase figure), every other parameter from the flags; output {config, grid, backend, ms, cells}',
  },
  { flag: '--help', help: 'show this help and exit' },
];

const FLAG_NAMES = OTHER_FLAGS.map((f) => f.flag.slice(2));

function suggestion(name: string): string {
  const lower = name.toLowerCase();
  const hit = [...PARAM_KEYS, ...FLAG_NAMES].find((k) => k.toLowerCase() === lower);
  return hit ? ` (did you mean --${hit}?)` : '';
}

export function parseArgs(argv: readonly string[]): ParseResult {
  const errors: string[] = [];
  const options: CliOptions = { params: {}, format: 'json', detail: false, sweep: false, help: false, lineup: [...PAIR_LINEUP] };
  const seen = new Set<string>();
  let json = false;
  let csv = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h') {
      options.help = true;
      continue;
    }
    if (!arg.startsWith('--') || arg === '--') {
      errors.push(`unexpected argument ${JSON.stringify(quote(arg))} (flags start with --)`);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);
    const flag = `--${name}`;

    const other = OTHER_FLAGS.find((f) => f.flag === flag);
    if (!isParamKey(name) && !other) {
      errors.push(`unknown flag ${quote(flag)}${suggestion(name)}; parameters are ${PARAM_KEYS.map((k) => `--${k}`).join(', ')}`);
      if (inline === undefined && i + 1 < argv.length && !argv[i + 1].startsWith('--')) i++; // skip its value
      continue;
    }
    if (seen.has(name)) errors.push(`${flag} is given more than once`);
    seen.add(name);

    const takesValue = isParamKey(name) || other?.value !== undefined;
    if (!takesValue) {
      if (inline !== undefined) errors.push(`${flag} takes no value (got ${JSON.stringify(quote(inline))})`);
      if (name === 'json') json = true;
      else if (name === 'csv') csv = true;
      else if (name === 'detail') options.detail = true;
      else if (name === 'sweep') options.sweep = true;
      else if (name === 'help') options.help = true;
      continue;
    }

    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        value = next;
        i++;
      }
    }
    const expected = isParamKey(name) ? describeRange(paramSpec(name)) : other!.value!;
    if (value === undefined) {
      errors.push(`${flag} needs a value: ${expected}`);
      continue;
    }

    if (isParamKey(name)) {
      const parsed = parseParam(paramSpec(name), value);
      if ('error' in parsed) errors.push(`${flag} ${parsed.error}`);
      else (options.params as Record<string, unknown>)[name] = parsed.value;
    } else if (name === 'backend') {
      if ((NODE_BACKENDS as readonly string[]).includes(value)) options.backend = value as NodeBackend;
      else errors.push(`--backend must be ${NODE_BACKENDS.join(' or ')} (got ${JSON.stringify(quote(value))})`);
    } else if (name === 'runs') {
      options.runs = value;
    } else if (value === '') {
      errors.push(`${flag} needs a file name`);
    } else {
      options[name as 'out' | 'dump' | 'load'] = value;
    }
  }

  if (json && csv) errors.push('--json and --csv exclude each other: give one of them');
  if (csv) options.format = 'csv';
  if (csv && options.detail) errors.push('--detail applies to the JSON output only: drop --csv or --detail');
  for (const k of ['load', 'dump', 'detail'] as const) {
    if (options.sweep && options[k]) errors.push(`--${k} applies to one pair of runs, not to --sweep: drop one of them`);
  }
  if (options.sweep && options.runs !== undefined) errors.push('--runs applies to the runs of one experiment, not to --sweep (the map trains GD and GD+M per cell): drop one of them');
  if (options.load !== undefined && (options.params.seeds ?? 1) > 1) {
    errors.push(`--seeds ${options.params.seeds} trains other seeds' data sets, but --load trains the one data set of its file: drop one of them`);
  }
  // The run list's ranges (K up to T, b up to N) depend on the config: here when it is known, after
  // reading the file with --load (main.ts, the same check).
  if (options.runs !== undefined && options.load === undefined) {
    const lineup = parseLineup(options.runs, { ...CLI_DEFAULTS, ...options.params });
    if (lineup.ok) options.lineup = lineup.lineup;
    else errors.push(...lineupErrors(lineup.errors));
  }
  if (options.load !== undefined) {
    for (const key of DATASET_KEYS) {
      if (seen.has(key)) {
        errors.push(`--${key} changes the data, which --load takes from its file: with --load only ${RUN_KEYS.map((k) => `--${k}`).join(', ')} may be given`);
      }
    }
  }
  // The sizes together (sim/bounds.ts), once each is in range. With --load they come from the dump,
  // which readDump checks the same way.
  if (options.load === undefined && !errors.length) {
    for (const issue of boundIssues({ ...CLI_DEFAULTS, ...options.params })) {
      const flags = issue.key === DATA_KEY ? '--N, --Ntest, --P and --d' : issue.key === WORK_KEY ? '--N, --P, --d and --m' : `--${issue.key}`;
      errors.push(`${flags} together: ${issue.key} ${issue.message}`);
    }
  }
  const files = (['out', 'dump', 'load'] as const).filter((k) => options[k] !== undefined);
  for (let a = 0; a < files.length; a++) {
    for (let b = a + 1; b < files.length; b++) {
      if (options[files[a]] === options[files[b]]) errors.push(`--${files[a]} and --${files[b]} name the same file ${JSON.stringify(options[files[a]])}`);
    }
  }

  return errors.length && !options.help ? { ok: false, errors } : { ok: true, options };
}

/** Problems with --runs, each naming the flag. */
export function lineupErrors(errors: readonly string[]): string[] {
  return errors.map((e) => `--runs: ${e}`);
}

/** `--help`: usage, every parameter with its description, default and range, then the other flags. */
export function helpText(): string {
  const lines = [
    'Usage: npm run sim -- [--KEY VALUE ...] [--runs LIST] [--json | --csv] [--out FILE] [--dump FILE]',
    '                      [--load FILE] [--backend wasm|cpu] [--detail] [--sweep] [--help]',
    '',
    'Trains plain gradient descent (gd) and gradient descent with momentum (gdm) side by side, from the',
    'same data and the same initial filters W0 (Jelassi & Li, ICML 2022), and writes their traces;',
    '--runs adds what-if runs to the same batch, --seeds S repeats everything on seeds seed..seed+S-1.',
    'Values may be given as --KEY VALUE or --KEY=VALUE.',
    '',
    'Parameters:',
  ];
  const width = Math.max(...PARAMS.map((p) => p.key.length)) + 4;
  for (const p of PARAMS) {
    lines.push(`  ${`--${p.key}`.padEnd(width)}${p.description}`);
    const cli = CLI_DEFAULTS[p.key] !== p.default ? ` here (the page's default is ${p.default})` : '';
    lines.push(`  ${''.padEnd(width)}default ${CLI_DEFAULTS[p.key]}${cli}; ${describeRange(p)}`);
  }
  lines.push('', 'Other flags:');
  const flagWidth = Math.max(...OTHER_FLAGS.map((f) => (f.value ? `${f.flag} ${f.value}` : f.flag).length)) + 2;
  for (const f of OTHER_FLAGS) lines.push(`  ${(f.value ? `${f.flag} ${f.value}` : f.flag).padEnd(flagWidth)}${f.help}`);
  lines.push(
    '',
    'Output: JSON {config, backend, lineup, runs: {gd: {final, divergedAt, trace}, gdm: {...}, ...},',
    'seeds: [{seed, runs: {gd: {final, divergedAt}, ...}}, ...], summary: {gd: {label, arg, testErr: {mean,',
    'min, max}, ...}, ...}} on stdout (runs: the focus seed, = --seed; NaN and infinities are written as',
    'null), or CSV with --csv (every seed). A summary goes to stderr.',
    'Exit codes: 0 done (also when a run diverged: stderr says so), 2 bad flags, values or dump file,',
    '1 internal error.',
    '',
  );
  return lines.join('\n');
}
