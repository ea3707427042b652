/**
 * The default experiment computed at build time (src/cli/precompute.ts), fetched from next to the
 * page so the figures draw before the worker has trained anything.
 */
import { type Config, DEFAULT_CONFIG, PARAM_KEYS } from '../sim/params';
import { PRECOMPUTED_HEADER, PRECOMPUTED_ROWS, type PrecomputedRun, decodePrecomputed } from '../sim/precomputed';

export function isDefaultConfig(config: Config): boolean {
  return PARAM_KEYS.every((key) => config[key] === DEFAULT_CONFIG[key]);
}

/** Same parameters, key by key. */
export function sameConfig(a: Config, b: Config): boolean {
  return PARAM_KEYS.every((key) => a[key] === b[key]);
}

/**
 * Fetch and decode the precomputed run for `config`, or null when there is none for it (not the
 * default, not built, unreadable): the caller then trains live. Never throws.
 */
export async function loadPrecomputed(config: Config, base: string = import.meta.env.BASE_URL): Promise<PrecomputedRun | null> {
  if (!isDefaultConfig(config) || typeof fetch === 'undefined') return null;
  // Set by vite.config.ts: false when the build has no precomputed files (undefined under Vitest).
  if (import.meta.env.VITE_PRECOMPUTED === false) return null;
  try {
    // Both at once: the rows' file name is fixed, the header only confirms it.
    const [headerResponse, rowsResponse] = await Promise.all([
      fetch(`${base}precomputed/${PRECOMPUTED_HEADER}`),
      fetch(`${base}precomputed/${PRECOMPUTED_ROWS}`),
    ]);
    if (!headerResponse.ok || !rowsResponse.ok) return null;
    const header = (await headerResponse.json()) as { rows?: unknown; config?: Config };
    if (header.rows !== PRECOMPUTED_ROWS || !header.config || !sameConfig(header.config, config)) return null;
    return decodePrecomputed(header, await rowsResponse.arrayBuffer());
  } catch {
    return null;
  }
}
