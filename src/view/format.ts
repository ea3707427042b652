import type { Spread } from '../sim/seeds';
/** Numbers as the page prints them. */
export function pct(x: number | undefined): string {
  if (x === undefined) return '–';
  if (!Number.isFinite(x)) return 'n/a';
  return `${(100 * x).toFixed(1)}%`;
}

export function num(x: number | undefined, digits = 3): string {
  if (x === undefined) return '–';
  if (!Number.isFinite(x)) return 'diverged';
  return Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(2) : x.toFixed(digits);
}

const TEX_TO_TEXT: Record<string, string> = {
  '\\alpha': 'α', '\\beta': 'β', '\\gamma': 'γ', '\\eta': 'η', '\\mu': 'μ', '\\sigma': 'σ',
  '\\sigma_0': 'σ₀', 'N_{\\text{test}}': 'N_test', '\\Delta t': 'Δt', '\\text{seed}': 'seed', 't_{\\text{dense}}': 't_dense', '\\text{form}': 'form',
};

/** The paper's symbol in plain text, for labels that cannot typeset TeX. */
export function symbolText(tex: string): string {
  return TEX_TO_TEXT[tex] ?? tex;
}

/** "14.8 % (12.4–15.4 %)": a mean and its range over seeds. */
export function spreadText(s: Spread | undefined): string {
  if (!s || !s.count) return '–';
  return s.count === 1 ? pct(s.mean) : `${pct(s.mean)} (${pct(s.min)}–${pct(s.max)})`;
}
