/** The default map computed at build time (src/cli/precompute.ts), fetched from next to the page. */
import { type Config, DEFAULT_CONFIG } from '../sim/params';
import { sweepKey } from '../sim/sweep';
import { SWEEP_FILE, type SweepFile, decodeSweep } from '../sim/sweep-file';
import type { SweepTrace } from '../sim/sweep';

/**
 * The precomputed map for `config`'s parameters (gamma and beta aside), or null when there is none
 * for them (not the default, not built, unreadable): the page then computes one. Never throws.
 */
export async function loadPrecomputedSweep(config: Config, base: string = import.meta.env.BASE_URL): Promise<{ trace: SweepTrace; engine: string; wallMs: number } | null> {
  if (sweepKey(config) !== sweepKey(DEFAULT_CONFIG) || typeof fetch === 'undefined' || import.meta.env.VITE_PRECOMPUTED === false) return null;
  try {
    const response = await fetch(`${base}precomputed/${SWEEP_FILE}`);
    if (!response.ok) return null;
    const file = (await response.json()) as SweepFile;
    const trace = decodeSweep(file);
    if (!trace || sweepKey(trace.base) !== sweepKey(config)) return null;
    return { trace, engine: `${file.engine.backend} in ${file.engine.runtime}`, wallMs: file.ms };
  } catch {
    return null;
  }
}
