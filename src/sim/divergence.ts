/**
 * When a run diverges, and why in words: the worker freezes a run at its last finite logged row
 * and the page says which run, where, the likely cause and a learning rate to try instead.
 */
import type { Config } from './params';
import { EXPLODING_LOSS, SUMMARY_FIELDS } from './trace';

const LOSS = SUMMARY_FIELDS.indexOf('loss');

export type DivergenceKind = 'not finite' | 'exploding loss';

/** Why one packed row (sim/trace rowLayout) shows a diverged run, or null for a sane row. */
export function rowDivergence(row: ArrayLike<number>): DivergenceKind | null {
  for (let k = 0; k < row.length; k++) if (!Number.isFinite(row[k])) return 'not finite';
  return row[LOSS] > EXPLODING_LOSS ? 'exploding loss' : null;
}

export interface RunDivergence {
  /** The first logged step whose row diverged; the run's trace ends before it. */
  step: number;
  kind: DivergenceKind;
  /** The likely cause, in words. */
  cause: string;
  /** A learning rate likely to work instead. */
  suggestedEta: number;
}

/** The largest of 1, 2, 5 times a power of ten that is <= x: a value a reader can type. */
export function niceBelow(x: number): number {
  const y = x * (1 + 1e-9); // 1 * (1 - 0.9) is 0.0999...98: still 0.1
  const p = 10 ** Math.floor(Math.log10(y));
  const m = [5, 2, 1].find((k) => k * p <= y) ?? 1;
  return Number((m * p).toPrecision(1));
}

/**
 * The cause of a divergence of run `run` of the pair at `step`. The update is buf <- a buf + b grad,
 * W <- W - eta buf; at steady state a step moves W by eta b / (1 - gamma) times the gradient: eta for
 * GD and for the paper's EMA momentum, eta / (1 - gamma) for heavy ball.
 */
export function explainDivergence(config: Config, run: string, step: number, kind: DivergenceKind): RunDivergence {
  const heavy = run === 'gdm' && config.momentumForm === 'heavyball' && config.gamma > 0;
  const effective = heavy ? config.eta / (1 - config.gamma) : config.eta;
  const floor = 0.0001; // the smallest eta the parameters allow
  if (heavy) {
    return {
      step,
      kind,
      cause:
        `the learning rate η = ${config.eta} is too large for γ = ${config.gamma} (with heavy-ball ` +
        `momentum the effective step is η/(1−γ) = ${Number(effective.toPrecision(3))})`,
      suggestedEta: Math.max(floor, niceBelow(config.eta * (1 - config.gamma))),
    };
  }
  return {
    step,
    kind,
    cause: `the learning rate η = ${config.eta} is too large for this data`,
    suggestedEta: Math.max(floor, niceBelow(config.eta / 10)),
  };
}
