import {
  type Config,
  type ParamKey,
  type ParamSpec,
  DEFAULT_CONFIG,
  PARAMS,
  describeRange,
  isParamKey,
} from './params';
import { boundIssues, fitBounds } from './bounds';
import { quote } from './quote';

/** A problem with one parameter, named by its key so each front end can phrase it (--beta, ?beta=). */
export interface ParamIssue {
  key: string;
  message: string;
}

type Parsed = { value: Config[ParamKey] } | { error: string };

function show(raw: unknown): string {
  if (typeof raw === 'string') return JSON.stringify(quote(raw));
  if (typeof raw === 'number' || typeof raw === 'boolean' || raw === null) return String(raw);
  return `a value of type ${Array.isArray(raw) ? 'array' : typeof raw}`;
}

/** Plain decimal notation only (Number() would also read hex, octal and binary: 0x10 is no size). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function toNumber(raw: unknown): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string' && DECIMAL.test(raw.trim())) return Number(raw);
  return Number.NaN;
}

/** Strict reading of one value: anything outside the spec is an error, nothing is adjusted. */
export function parseParam(spec: ParamSpec, raw: unknown): Parsed {
  const range = describeRange(spec);
  if (spec.kind === 'enum') {
    return spec.options.includes(raw as never)
      ? { value: raw as Config[ParamKey] }
      : { error: `must be ${range} (got ${show(raw)})` };
  }
  const x = toNumber(raw);
  if (!Number.isFinite(x)) return { error: `must be ${range} (got ${show(raw)})` };
  if (spec.kind === 'int' && !Number.isInteger(x)) return { error: `must be ${range} (got ${show(raw)})` };
  if (x < spec.min || x > spec.max) return { error: `must be ${range} (got ${show(raw)})` };
  return { value: x + 0 }; // -0 is 0 (it would print as 0 and compare unequal in Object.is)
}

export type ValidationResult = { ok: true; config: Config } | { ok: false; issues: ParamIssue[] };

/**
 * Strict validation (CLI, worker protocol): missing keys take their defaults, every given key must be
 * known and in range, and the sizes together within the bounds of bounds.ts. All problems are
 * reported at once.
 */
export function validateConfig(input: Readonly<Record<string, unknown>>): ValidationResult {
  const issues: ParamIssue[] = [];
  const config: Record<string, unknown> = { ...DEFAULT_CONFIG };
  for (const [key, raw] of Object.entries(input)) {
    if (raw === undefined) continue;
    if (!isParamKey(key)) {
      issues.push({ key: quote(key), message: `is not a parameter (known: ${PARAMS.map((p) => p.key).join(', ')})` });
      continue;
    }
    const parsed = parseParam(PARAMS.find((p) => p.key === key)!, raw);
    if ('error' in parsed) issues.push({ key, message: parsed.error });
    else config[key] = parsed.value;
  }
  // Combinations only once every key is in range (the bounds' arithmetic needs numbers).
  if (!issues.length) issues.push(...boundIssues(config as unknown as Config));
  return issues.length ? { ok: false, issues } : { ok: true, config: config as unknown as Config };
}

/**
 * Forgiving reading (URL): unknown keys are ignored, out-of-range numbers are clamped, unreadable
 * values fall back to the default, sizes too large together shrink to fit. Every adjustment is reported so the page can say what it changed.
 */
export function clampConfig(input: Readonly<Record<string, unknown>>): { config: Config; notes: ParamIssue[] } {
  const notes: ParamIssue[] = [];
  const config: Record<string, unknown> = { ...DEFAULT_CONFIG };
  for (const spec of PARAMS) {
    const raw = input[spec.key];
    if (raw === undefined) continue;
    const parsed = parseParam(spec, raw);
    if (!('error' in parsed)) {
      config[spec.key] = parsed.value;
      continue;
    }
    const x = toNumber(raw);
    if (spec.kind === 'enum' || !Number.isFinite(x)) {
      notes.push({ key: spec.key, message: `${parsed.error}; using the default ${spec.default}` });
      continue;
    }
    const clamped = Math.min(spec.max, Math.max(spec.min, spec.kind === 'int' ? Math.round(x) : x));
    config[spec.key] = clamped;
    notes.push({ key: spec.key, message: `${parsed.error}; using ${clamped}` });
  }
  const fitted = fitBounds(config as unknown as Config);
  return { config: fitted.config, notes: [...notes, ...fitted.notes] };
}
