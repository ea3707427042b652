import { rowIndexAt } from '../view/cursor';
import { setParam, useParams } from '../state/params';
import { runTitle } from '../view/run-labels';
import { useTraining } from '../state/training';
import { num, pct } from '../view/format';
import { RUN_STYLE } from '../view/theme';
import { type RunName } from '../sim/runs';
import { divergedAtOf, useSeedsView, useShownStep } from '../state/selectors';
import { spreadText } from '../view/format';

function Value({ label, value, text, name }: { label: string; value: number | undefined; text: string; name: string }) {
  return (
    <div className="value">
      <dt>{label}</dt>
      <dd data-testid={name} data-value={value === undefined ? '' : String(value)}>
        {text}
      </dd>
    </div>
  );
}

/** The numbers of one run at the shown step: its errors and its feature. */
export function RunSummary({ name }: { name: RunName }) {
  const trace = useTraining((s) => s.traces[name]);
  const config = useTraining((s) => s.config);
  const divergedAt = useTraining((s) => divergedAtOf(s, name));
  const diverged = useTraining((s) => s.diverged[name]);
  const other: RunName = name === 'gdm' ? 'gd' : 'gdm';
  const lineup = useParams((s) => s.lineup);
  const otherGoesOn = useTraining((s) => !s.diverged[other]);
  const reused = useTraining((s) => s.reused.includes(name));
  const style = RUN_STYLE[name];
  const shown = useShownStep();
  const row = trace?.rows[rowIndexAt(trace.rows, shown)];
  const overSeeds = useSeedsView()?.runs[name];
  const title = name === 'gdm' && config ? `${style.label} (γ = ${config.gamma}${config.momentumForm === 'heavyball' ? ', heavy ball' : ''})` : runTitle(name, lineup);
  return (
    <section className={`run run-${name}`} aria-labelledby={`run-${name}-title`} data-run={name}>
      <h2 id={`run-${name}-title`}>
        <svg width="28" height="10" aria-hidden="true">
          <line x1="1" y1="5" x2="27" y2="5" stroke={style.color} strokeWidth="3" strokeDasharray={style.dash} />
        </svg>
        {title}
      </h2>
      <p className="progress-line">
        numbers at step <span data-testid={`${name}-t`} data-value={row?.t ?? ''}>{row?.t ?? 0}</span> of {config?.T ?? '–'}
        {reused && <span className="note"> · replayed: GD does not depend on γ</span>}
      </p>
      <progress max={config?.T ?? 1} value={row?.t ?? 0} aria-label={`${style.label} progress`} />
      {diverged ? (
        <p className="warning" role="alert" data-testid={`${name}-diverged`} data-value={diverged.step}>
          {style.label} diverged at step {diverged.step} ({diverged.kind === 'not finite' ? 'its numbers overflowed' : 'its loss exploded'})
          {' '}and stopped there{otherGoesOn && `; ${RUN_STYLE[other].label} goes on`}. Likely cause: {diverged.cause}.{' '}
          <button type="button" onClick={() => setParam('eta', diverged.suggestedEta)}>
            Try η = {diverged.suggestedEta}
          </button>
        </p>
      ) : (
        divergedAt !== null && (
          <p className="warning" role="alert">
            Diverged at step {divergedAt}: the learning rate η = {config?.eta} is too large for this setting.
          </p>
        )
      )}
      <dl>
        <Value label="train error" name={`${name}-trainErr`} value={row?.trainErr} text={pct(row?.trainErr)} />
        <Value label="test error" name={`${name}-testErr`} value={row?.testErr} text={pct(row?.testErr)} />
        {(config?.seeds ?? 1) > 1 && (
          <div className="value value-seeds">
            <dt>
              final test error over {overSeeds ? `${overSeeds.seeds.length} of ` : ''}
              {config?.seeds} seeds (mean, range)
            </dt>
            <dd
              data-testid={`${name}-testErr-seeds`}
              data-count={overSeeds?.seeds.length ?? 0}
              data-mean={overSeeds?.final.testErr.mean ?? ''}
              data-min={overSeeds?.final.testErr.min ?? ''}
              data-max={overSeeds?.final.testErr.max ?? ''}
            >
              {spreadText(overSeeds?.final.testErr)}
            </dd>
          </div>
        )}
        <Value label="test error, small margin" name={`${name}-testErrSmall`} value={row?.testErrSmall} text={pct(row?.testErrSmall)} />
        <Value label="test error, large margin" name={`${name}-testErrLarge`} value={row?.testErrLarge} text={pct(row?.testErrLarge)} />
        <Value label="feature c = max cᵣ" name={`${name}-cMax`} value={row?.cMax} text={num(row?.cMax)} />
        <Value label="small-margin examples where the feature outweighs noise" name={`${name}-smallByFeature`} value={row?.smallByFeature} text={pct(row?.smallByFeature)} />
      </dl>
    </section>
  );
}
