import type { TraceRow } from '../sim/trace';
import { MARGIN_STYLE } from '../view/theme';
import { rowIndexAt } from '../view/cursor';

export type ErrorField = 'trainErrLarge' | 'trainErrSmall' | 'testErrLarge' | 'testErrSmall';
export type MarginKind = keyof typeof MARGIN_STYLE;

export interface ErrorFacet {
  field: ErrorField;
  split: 'train' | 'test';
  margin: MarginKind;
  /** "train error, large margin (α)". */
  title: string;
}

/** The four small multiples, in reading order: rows train / test, columns large / small margin. */
export const ERROR_FACETS: readonly ErrorFacet[] = (['train', 'test'] as const).flatMap((split) =>
  (['large', 'small'] as const).map((margin) => ({
    field: `${split}Err${margin === 'large' ? 'Large' : 'Small'}` as ErrorField,
    split,
    margin,
    title: `${split} error, ${MARGIN_STYLE[margin].label}`,
  })),
);

/** The rows a line draws when step t is shown: the history up to and including the shown row. */
export function rowsUpTo(rows: readonly TraceRow[], t: number): readonly TraceRow[] {
  return rows.slice(0, rowIndexAt(rows, t) + 1);
}

/** The shown row at step t, or null before the first logged step (or for a run with no rows). */
export function rowAt(rows: readonly TraceRow[] | undefined, t: number): TraceRow | null {
  if (!rows) return null;
  const i = rowIndexAt(rows, t);
  return i < 0 ? null : rows[i];
}

/** An error fraction as a percentage for readouts: "14.9 %", "–" when there is no number. */
export function formatError(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return `${(value * 100).toFixed(1)} %`;
}
