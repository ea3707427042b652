/**
 * The figures' captions, written from the numbers of the runs on screen (sim/mechanism.ts): each
 * sentence states only what those numbers show, for any setting, and says so when they do not show
 * it yet. Tested against real runs at the defaults and at other settings (test/captions.test.ts).
 */
import type { Mechanism } from '../sim/mechanism';
import type { Config } from '../sim/params';
import type { TraceRow } from '../sim/trace';

const f2 = (x: number) => x.toFixed(2);
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
/** Ratios as people say them: 4.7x, 22x. */
const times = (x: number) => (x >= 10 ? `${Math.round(x)}×` : `${x.toFixed(1)}×`);

export function memoryCaption(m: Mechanism, config: Config): string {
  const span = config.gamma > 0 && config.gamma < 1 ? Math.round(1 / (1 - config.gamma)) : 0;
  const { gd: cGd, gdm: cGdm } = m.collapsed;
  const parts: string[] = [];
  if (cGd === null || cGdm === null) {
    parts.push('The push along w* of the large-margin examples has not collapsed in both runs yet.');
  } else if (config.gamma === 0) {
    parts.push(`With γ = 0 GD+M is GD: both steps are the current gradient, and the large-margin push collapses at t = ${cGd} in both.`);
  } else {
    parts.push(
      `The large-margin examples' push along w* collapses (below 10 % of its peak) at t = ${cGd} for GD and t = ${cGdm} for GD+M${cGdm > cGd && config.momentumForm === 'ema' ? ', whose first steps are shorter: its buffer starts empty and fills as 1 − γᵗ' : ''}.`,
    );
    parts.push(
      `GD then steps along the current gradient alone; GD+M steps along its buffer, which still holds the large-margin gradient${m.carry ? ` (${f2(m.carry.g0)} at t = ${m.carry.t0})` : ''} and forgets it as γᵏ, over about 1/(1−γ) = ${span} steps.`,
    );
    if (m.largeAtT1 && m.largeAtT1.gdm < m.largeAtT1.gd)
      parts.push(`By t = ${m.largeAtT1.t} GD+M's own large-margin gradient is far below GD's: it fits those examples harder.`);
  }
  const r = m.smallPushRatio;
  if (r && config.gamma > 0) {
    parts.push(
      r.median > 1
        ? `From then on the small-margin push is larger for GD+M: a median ${times(r.median)} GD's (range ${times(r.min)}–${times(r.max)}), since it grows like β³c² and GD+M's c is larger.`
        : `From then on GD+M's small-margin push is not larger than GD's (median ${times(r.median)} GD's).`,
    );
  }
  return parts.join(' ');
}

export function featureCaption(m: Mechanism, config: Config, last: { gd?: TraceRow; gdm?: TraceRow }): string {
  const parts = ['How far the filters have turned towards the shared feature w*: c = max over filters of ⟨w_r, w*⟩ (bold), each filter thin.'];
  const c = m.carry;
  if (c && config.gamma > 0) {
    const share = c.growth > 0 ? c.carried / c.growth : Number.NaN;
    parts.push(
      `Both runs learn it. After GD+M's large-margin push collapses at t = ${c.t0}, its c still grows by ${f2(c.growth)} by t = ${c.t1} (GD's: ${c.gdGrowth === null ? '–' : f2(c.gdGrowth)} over the same steps); ${f2(c.carried)} of that${Number.isFinite(share) ? ` (${Math.round(100 * Math.min(1, share))} %)` : ''} is paid for by gradients already in its buffer at t = ${c.t0}, close to the estimate ηgγ/(1 − γ) = ${f2(c.estimate)}.`,
    );
  } else if (config.gamma === 0) {
    parts.push('With γ = 0 the two runs are the same: nothing is carried.');
  }
  const th = m.finalThreshold;
  const side = (x: { c: number; threshold: number } | null, name: string) =>
    x ? `${name}'s c = ${f2(x.c)} is ${x.c > x.threshold ? 'above' : 'below'} its c* = ${f2(x.threshold)}` : null;
  const ends = [side(th.gd, 'GD'), side(th.gdm, 'GD+M')].filter(Boolean);
  if (ends.length && (last.gd || last.gdm))
    parts.push(
      `Dotted: c*, the feature at which β³c³ outweighs a typical small-margin example's noise part; it rises where a run memorizes. At t = ${(last.gdm ?? last.gd)!.t}, ${ends.join(', ')}.`,
    );
  return parts.join(' ');
}

export function errorsCaption(m: Mechanism, last: { gd?: TraceRow; gdm?: TraceRow }): string {
  const parts = ['Error over time on training and test examples, split by margin.'];
  if (last.gd && last.gdm) {
    parts.push(
      `At t = ${last.gd.t}: training error ${pct(last.gd.trainErr)} (GD) and ${pct(last.gdm.trainErr)} (GD+M); on small-margin test examples ${pct(last.gd.testErrSmall)} (GD) and ${pct(last.gdm.testErrSmall)} (GD+M), where 50 % is chance.`,
    );
  }
  const dip = m.gdDip;
  if (dip && dip.final - dip.min > 0.1)
    parts.push(
      `GD's small-margin test error first falls to ${pct(dip.min)} at t = ${dip.at}: its feature alone starts to classify them. Then it climbs back to ${pct(dip.final)} as memorization takes over — the race, visible.`,
    );
  return parts.join(' ');
}

/** The map's caption: what its cells show, in numbers (the largest possible gap is mu / 2). */
export function phaseWords(summary: { cells: number; helped: number; minGamma: { beta: number; gamma: number | null }[] }, mu: number): string {
  const needs = summary.minGamma.filter((r) => r.gamma !== null).map((r) => `γ ≥ ${r.gamma} at β = ${r.beta}`);
  const none = summary.minGamma.filter((r) => r.gamma === null).map((r) => r.beta);
  return (
    `GD+M beats GD by more than 5 points of test error in ${summary.helped} of ${summary.cells} cells (the largest possible gap is μ/2 = ${(50 * mu).toFixed(0)} points)` +
    (needs.length ? `; it needs ${needs.join(', ')}` : '') +
    (none.length && needs.length ? `, and no γ of the grid at β = ${none.join(', ')}` : '') +
    '.'
  );
}
