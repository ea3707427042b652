/**
 * The skeptic's three questions, each answered by a what-if run of the lineup with its own numbers
 * (its final test error against GD's and GD+M's), in words that stay true for any K, eta' or b: a
 * run counts as "like GD+M" when its test error is nearer GD+M's than GD's.
 */
import { type Lineup, type RunName, runDef } from '../sim/runs';
import type { RunTrace } from '../sim/trace';
import { runTitle } from './run-labels';

export interface Answer {
  run: RunName;
  title: string;
  testErr: number;
  /** Nearer GD+M's test error than GD's. */
  likeGdm: boolean;
  /** c at t = 50 (the overshoot a large step makes by then), when logged. */
  c50: number | null;
}

export const QUESTIONS = [
  { id: 'when', text: 'Is it the historical gradients, carried through the moment the large-margin examples are fitted, or would momentum at any time do?', runs: ['gdm-until', 'gdm-from'] },
  { id: 'step', text: 'Is momentum just a larger learning rate?', runs: ['gd-eta'] },
  { id: 'noise', text: 'Is it gradient noise, as earlier explanations of momentum say?', runs: ['sgd', 'sgdm'] },
] as const satisfies readonly { id: string; text: string; runs: readonly RunName[] }[];

export function answers(lineup: Lineup, traces: Partial<Record<RunName, RunTrace>>): Partial<Record<RunName, Answer>> {
  const gd = traces.gd?.rows.at(-1)?.testErr;
  const gdm = traces.gdm?.rows.at(-1)?.testErr;
  const out: Partial<Record<RunName, Answer>> = {};
  if (gd === undefined || gdm === undefined) return out;
  for (const choice of lineup) {
    if (!runDef(choice.id).arg) continue;
    const rows = traces[choice.id]?.rows;
    const last = rows?.at(-1);
    if (!rows || !last || !Number.isFinite(last.testErr)) continue;
    const at50 = rows.find((r) => r.t === 50);
    out[choice.id] = {
      run: choice.id,
      title: runTitle(choice.id, lineup),
      testErr: last.testErr,
      likeGdm: Math.abs(last.testErr - gdm) < Math.abs(last.testErr - gd),
      c50: at50 ? at50.cMax : null,
    };
  }
  return out;
}
