/**
 * The race's fading trail (panels/RacePanel.tsx): which logged rows it draws behind a dot. Here in
 * sim, not in the panel, because the precomputed first view (sim/precomputed.ts) must carry the
 * per-example parts of the trail behind the step it opens on.
 */

/** Recent positions drawn behind each dot: this many earlier logged rows ... */
export const TRAIL_ROWS = 4;
/** ... none more than this many steps back. */
export const TRAIL_STEPS = 80;

/**
 * The logged rows of a short fading trail behind row k: up to `length` earlier rows, most recent
 * first, none more than `maxSteps` steps before row k (a trail shows recent motion, not history).
 */
export function trailRows(rows: readonly { t: number }[], k: number, length: number = TRAIL_ROWS, maxSteps: number = TRAIL_STEPS): number[] {
  const out: number[] = [];
  if (k < 0 || k >= rows.length) return out;
  for (let j = k - 1; j >= 0 && out.length < length; j--) {
    if (rows[k].t - rows[j].t > maxSteps) break;
    out.push(j);
  }
  return out;
}
