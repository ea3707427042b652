import { rowIndexAt } from '../view/cursor';
import type { SummaryField } from '../sim/trace';
import { useTraining } from '../state/training';
import { num, pct } from '../view/format';
import type { RunName } from '../sim/runs';
import { useShownStep } from '../state/selectors';

type Field = SummaryField | 'cMax' | 'smallByFeature';

/**
 * A number from the live runs, inline in the text: at the shown step, or at the latest one.
 * The story quotes these instead of numbers written into the prose.
 */
export function LiveNumber({ run, field, at = 'shown', as = 'pct' }: { run: RunName; field: Field; at?: 'shown' | 'latest'; as?: 'pct' | 'num' }) {
  const rows = useTraining((s) => s.traces[run]?.rows);
  const shown = useShownStep();
  const row = rows && (at === 'latest' ? rows.at(-1) : rows[rowIndexAt(rows, shown)]);
  const x = row?.[field];
  return (
    <strong className={`live live-${run}`} data-testid={`live-${run}-${field}`} data-value={x === undefined ? '' : String(x)}>
      {as === 'pct' ? pct(x) : num(x, 2)}
    </strong>
  );
}
