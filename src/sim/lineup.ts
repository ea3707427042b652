/**
 * A lineup as text: `gd,gdm,gdm-until=60,gd-eta=3,sgd=50` (the CLI's --runs, the page's URL).
 * Strict parsing for the CLI (every problem reported, each naming the run and its allowed range),
 * forgiving clamping for the URL (every adjustment reported as a note). Pure.
 */
import type { Config } from './params';
import { type Lineup, PAIR, RUN_NAMES, type RunChoice, type RunName, choiceArg, isRunName, runDef } from './runs';
import { quote } from './quote';

export type LineupResult = { ok: true; lineup: Lineup } | { ok: false; errors: string[] };

/** Plain decimals only, as for parameters (sim/validate.ts): 0x10 is no batch size. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** How a run is written: `gd`, `gdm-until=K`. */
export function runSyntax(id: RunName): string {
  const arg = runDef(id).arg;
  return arg ? `${id}=${arg.name}` : id;
}

/** The allowed values of a run's argument in words: "an integer from 0 to 1500". */
export function describeArgRange(id: RunName, config: Config): string {
  const arg = runDef(id).arg;
  if (!arg) return 'no argument';
  const [lo, hi] = arg.range(config);
  return `${arg.kind === 'int' ? 'an integer' : 'a number'} from ${lo} to ${hi}`;
}

const KNOWN = () => RUN_NAMES.map(runSyntax).join(', ');

/** gd and gdm first (added where missing), then the others in the order given. */
function withPairFirst(choices: readonly RunChoice[]): Lineup {
  const byId = new Map(choices.map((c) => [c.id, c]));
  return [...PAIR.map((id) => byId.get(id) ?? { id }), ...choices.filter((c) => !PAIR.includes(c.id))];
}

interface Item {
  id: string;
  raw?: string;
}

function split(text: string): Item[] {
  return text.split(',').map((part) => {
    const s = part.trim();
    const eq = s.indexOf('=');
    return eq < 0 ? { id: s } : { id: s.slice(0, eq).trim(), raw: s.slice(eq + 1).trim() };
  });
}

/** The argument's value, or why it is not one. */
function readArg(id: RunName, raw: string | undefined, config: Config): { value: number } | { error: string } | null {
  const arg = runDef(id).arg;
  if (!arg) return raw === undefined ? null : { error: `${id} takes no argument (got ${JSON.stringify(quote(`${id}=${raw}`))})` };
  const want = `${arg.name} must be ${describeArgRange(id, config)}`;
  if (raw === undefined || raw === '') return { error: `${id} needs its argument: ${id}=${arg.name}, ${want.replace(' must be', ' is')} (e.g. ${id}=${arg.default})` };
  const x = DECIMAL.test(raw) ? Number(raw) : Number.NaN;
  const [lo, hi] = arg.range(config);
  if (!Number.isFinite(x) || (arg.kind === 'int' && !Number.isInteger(x)) || x < lo || x > hi) {
    return { error: `${id}: ${want} (got ${JSON.stringify(quote(raw))})` };
  }
  return { value: x + 0 };
}

/** Strict: any problem is an error; gd and gdm are added in front when missing. */
export function parseLineup(text: string, config: Config): LineupResult {
  const errors: string[] = [];
  const choices: RunChoice[] = [];
  const seen = new Set<string>();
  if (!text.trim()) return { ok: false, errors: [`the run list is empty; runs are ${KNOWN()}`] };
  for (const item of split(text)) {
    if (!item.id) {
      errors.push(`an empty entry in the run list ${JSON.stringify(quote(text))} (runs are separated by single commas)`);
      continue;
    }
    if (!isRunName(item.id)) {
      errors.push(`unknown run ${JSON.stringify(quote(item.id))}; runs are ${KNOWN()}`);
      continue;
    }
    if (seen.has(item.id)) {
      errors.push(`${item.id} is given more than once (one run per id)`);
      continue;
    }
    seen.add(item.id);
    const arg = readArg(item.id, item.raw, config);
    if (arg && 'error' in arg) errors.push(arg.error);
    else choices.push(arg ? { id: item.id, arg: arg.value } : { id: item.id });
  }
  return errors.length ? { ok: false, errors } : { ok: true, lineup: withPairFirst(choices) };
}

/** The text of a lineup, every argument written out (defaults filled in): parseLineup reads it back. */
export function formatLineup(lineup: readonly RunChoice[]): string {
  return lineup.map((c) => (runDef(c.id).arg ? `${c.id}=${choiceArg(c)}` : c.id)).join(',');
}

/**
 * Forgiving (URL): unknown runs and repeats are dropped, a missing or unreadable argument takes the
 * default, one out of range is clamped into it (integers rounded). Every change is a note.
 */
export function clampLineup(input: string | readonly RunChoice[], config: Config): { lineup: Lineup; notes: string[] } {
  const notes: string[] = [];
  const items: Item[] = typeof input === 'string' ? split(input) : input.map((c) => ({ id: c.id, raw: c.arg === undefined ? undefined : String(c.arg) }));
  const choices: RunChoice[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    if (!item.id) continue;
    if (!isRunName(item.id)) {
      notes.push(`unknown run ${JSON.stringify(quote(item.id))} left out; runs are ${KNOWN()}`);
      continue;
    }
    if (seen.has(item.id)) {
      notes.push(`${item.id} given more than once: the first is kept`);
      continue;
    }
    seen.add(item.id);
    const def = runDef(item.id).arg;
    if (!def) {
      if (item.raw !== undefined) notes.push(`${item.id} takes no argument: ${JSON.stringify(quote(item.raw))} ignored`);
      choices.push({ id: item.id });
      continue;
    }
    const [lo, hi] = def.range(config);
    const x = item.raw !== undefined && DECIMAL.test(item.raw) ? Number(item.raw) : Number.NaN;
    if (!Number.isFinite(x)) {
      // The default itself may lie outside the range at this config (K 60 with T = 30).
      const fallback = Math.min(hi, Math.max(lo, def.default));
      if (item.raw !== undefined) notes.push(`${item.id}: ${def.name} must be ${describeArgRange(item.id, config)} (got ${JSON.stringify(quote(item.raw))}); using ${fallback}`);
      choices.push({ id: item.id, arg: fallback });
      continue;
    }
    const clamped = Math.min(hi, Math.max(lo, def.kind === 'int' ? Math.round(x) : x));
    if (clamped !== x) notes.push(`${item.id}: ${def.name} must be ${describeArgRange(item.id, config)} (got ${item.raw}); using ${clamped}`);
    choices.push({ id: item.id, arg: clamped });
  }
  return { lineup: withPairFirst(choices), notes };
}
