import { BACKENDS, type BackendName } from '../engine/backend-names';
import { type Config, DEFAULT_CONFIG, PARAMS } from '../sim/params';
import { type ParamIssue, clampConfig } from '../sim/validate';

export interface PageParams {
  config: Config;
  /** What the page changed in the URL's values, to say so. */
  notes: ParamIssue[];
  /** A tfjs backend forced with ?backend=, else null (automatic choice). */
  backend: BackendName | null;
}

/** Read the page's URL: parameters clamped into range, unknown keys ignored. */
export function readUrl(search: string): PageParams {
  const query = new URLSearchParams(search);
  const raw = Object.fromEntries(PARAMS.filter((p) => query.has(p.key)).map((p) => [p.key, query.get(p.key)]));
  const { config, notes } = clampConfig(raw);
  const asked = query.get('backend');
  let backend: BackendName | null = null;
  if (asked && (BACKENDS as readonly string[]).includes(asked)) backend = asked as BackendName;
  else if (asked && asked !== 'auto') notes.push({ key: 'backend', message: `must be ${BACKENDS.join(', ')} or auto (got "${asked}"); choosing automatically` });
  return { config, notes, backend };
}

/** The URL query for a config: only values that differ from the defaults, other keys kept. */
export function writeUrl(search: string, config: Config): string {
  const query = new URLSearchParams(search);
  for (const p of PARAMS) {
    if (config[p.key] === DEFAULT_CONFIG[p.key]) query.delete(p.key);
    else query.set(p.key, String(config[p.key]));
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}
