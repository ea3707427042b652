/**
 * The default experiment computed at build time (src/cli/precompute.ts), fetched from next to the
 * page so the figures draw before the worker has trained anything: first the small first-view file
 * (every row but the per-example parts of a few), then, once that is drawn, the full rows.
 */
import { type Config, DEFAULT_CONFIG, PARAM_KEYS } from '../sim/params';
import {
  PRECOMPUTED_FIRST,
  PRECOMPUTED_HEADER,
  PRECOMPUTED_ROWS,
  type PrecomputedRun,
  decodeFirstView,
  decodeSeeds,
  withFullDetail,
} from '../sim/precomputed';
import type { SeedSummary } from '../sim/seeds';

export function isDefaultConfig(config: Config): boolean {
  return PARAM_KEYS.every((key) => config[key] === DEFAULT_CONFIG[key]);
}

/** Same parameters, key by key. */
export function sameConfig(a: Config, b: Config): boolean {
  return PARAM_KEYS.every((key) => a[key] === b[key]);
}

/**
 * Fetch and decode the first view of the precomputed run for `config`, or null when there is none
 * for it (not the default, not built, unreadable): the caller then trains live. Never throws.
 * Its per-example parts are complete only for header.first.detailRows: `loadPrecomputedDetail`
 * brings the rest.
 */
export async function loadPrecomputed(config: Config, base: string = import.meta.env.BASE_URL): Promise<PrecomputedRun | null> {
  if (!isDefaultConfig(config) || typeof fetch === 'undefined') return null;
  // Set by vite.config.ts: false when the build has no precomputed files (undefined under Vitest).
  if (import.meta.env.VITE_PRECOMPUTED === false) return null;
  try {
    // Both at once: the first view's file name is fixed, the header only confirms it.
    const [headerResponse, rowsResponse] = await Promise.all([
      fetch(`${base}precomputed/${PRECOMPUTED_HEADER}`),
      fetch(`${base}precomputed/${PRECOMPUTED_FIRST}`),
    ]);
    if (!headerResponse.ok || !rowsResponse.ok) return null;
    const header = (await headerResponse.json()) as { rows?: unknown; first?: { rows?: unknown }; config?: Config };
    if (header.rows !== PRECOMPUTED_ROWS || header.first?.rows !== PRECOMPUTED_FIRST || !header.config || !sameConfig(header.config, config)) return null;
    return decodeFirstView(header, await rowsResponse.arrayBuffer());
  } catch {
    return null;
  }
}

/**
 * The same run with every row's per-example parts (the full file), or null if it cannot be read or
 * `signal` aborts first (then neither the rest of the download nor the decode happens). Never throws.
 */
export async function loadPrecomputedDetail(run: PrecomputedRun, base: string = import.meta.env.BASE_URL, signal?: AbortSignal): Promise<PrecomputedRun | null> {
  if (run.complete) return run;
  try {
    const response = await fetch(`${base}precomputed/${run.header.rows}`, signal ? { signal } : undefined);
    if (!response.ok) return null;
    const bytes = await response.arrayBuffer();
    return signal?.aborted ? null : withFullDetail(run, bytes);
  } catch {
    return null;
  }
}

/** Every seed's summary of the precomputed run (config.seeds of them), or null without one. Never throws. */
export async function loadPrecomputedSeeds(run: PrecomputedRun, base: string = import.meta.env.BASE_URL): Promise<SeedSummary[] | null> {
  const seeds = run.header.seeds;
  if (!seeds || seeds.list.length !== run.header.config.seeds) return null;
  try {
    const response = await fetch(`${base}precomputed/${seeds.rows}`);
    if (!response.ok) return null;
    return decodeSeeds(await response.arrayBuffer(), run.header);
  } catch {
    return null;
  }
}
