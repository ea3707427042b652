import type { TraceRow } from '../sim/trace';
import { useTraining } from '../state/training';
import { pct, spreadText } from '../view/format';
import { RUN_STYLE } from '../view/theme';
import { PAIR, type RunName } from '../sim/runs';
import { useParams } from '../state/params';
import { runTitle } from '../view/run-labels';
import { useSeedsView } from '../state/selectors';
import { seedsWhere } from '../sim/seeds';

/** Test errors closer than this (2 points) count as "no difference". */
const SAME = 0.02;

function how(row: TraceRow): string {
  return row.smallByFeature > 0.5 ? 'through the feature' : 'by memorizing their noise';
}

/**
 * The experiment's outcome in one sentence, from the latest numbers of both runs: what a reader
 * should take away after moving a slider.
 */
export function Verdict() {
  const gd = useTraining((s) => s.traces.gd?.rows.at(-1));
  const gdm = useTraining((s) => s.traces.gdm?.rows.at(-1));
  const status = useTraining((s) => s.status);
  const T = useTraining((s) => s.config?.T);
  // A run frozen where it diverged ends on finite numbers of an early step: no comparison with it.
  const frozen = useTraining((s) => (Object.keys(s.diverged) as RunName[]).map((name) => RUN_STYLE[name].label).join(' and '));
  // Before the first numbers: the sentence's box, empty, so nothing under it moves when it comes.
  if (!gd || !gdm) return <p className="verdict verdict-waiting" aria-hidden="true" />;
  const prefix = status === 'done' ? `After ${T} steps` : `So far (step ${gd.t} of ${T})`;
  const gap = frozen ? Number.NaN : gd.testErr - gdm.testErr;
  let text: string;
  if (!Number.isFinite(gap)) text = `${frozen || 'a run'} diverged: lower the learning rate η`;
  else if (gap > SAME) {
    const better = `momentum generalizes better: test error ${pct(gdm.testErr)} with GD+M against ${pct(gd.testErr)} with GD`;
    // Mid-run both may still fit most small-margin examples the same way (GD memorizes them later):
    // then say how many each fits by the feature, not a contrast that is not there.
    text =
      how(gd) === how(gdm)
        ? `${better}; both fit most small-margin examples ${how(gd)} (${pct(gd.smallByFeature)} of them with GD, ${pct(gdm.smallByFeature)} with GD+M)`
        : `${better}, which fits the small-margin examples ${how(gd)} while GD+M fits them ${how(gdm)}`;
  }
  else if (gap < -SAME) text = `GD generalizes better here: test error ${pct(gd.testErr)} against ${pct(gdm.testErr)} with GD+M`;
  else text = `no difference: test error ${pct(gd.testErr)} (GD) and ${pct(gdm.testErr)} (GD+M); both fit the small-margin examples ${how(gd) === how(gdm) ? how(gd) : `(GD ${how(gd)}, GD+M ${how(gdm)})`}`;
  return (
    <div className="verdict-box">
      <p className="verdict" aria-live={status === 'done' ? 'polite' : 'off'} data-testid="verdict" data-gap={Number.isFinite(gap) ? gap : ''}>
        <strong>{prefix}:</strong> {text}.
      </p>
      <SeedsVerdict />
      <WhatIfVerdict />
    </div>
  );
}

/**
 * The outcome over the seeds: in how many the momentum run generalizes better (by more than the
 * SAME margin), and each run's mean and range. One seed could be luck: this line says whether it was.
 */
function SeedsVerdict() {
  const view = useSeedsView();
  const seeds = useTraining((s) => s.seeds);
  const first = useTraining((s) => s.config?.seed ?? 0);
  const seedsOf = useTraining((s) => s.config?.seeds ?? 1);
  if (seedsOf < 2) return null;
  // Its box before the numbers (the focus seed trains first; the precomputed seeds follow the first paint).
  if (!view)
    return (
      <p className="verdict-seeds" data-testid="verdict-seeds" data-done={0} data-of={seedsOf}>
        <strong>Over {seedsOf} seeds:</strong> the other seeds&apos; numbers come once this one is done.
      </p>
    );
  const { S, done } = view;
  const gd = view.runs.gd?.final.testErr;
  const gdm = view.runs.gdm?.final.testErr;
  const better = seedsWhere(seeds, 'gdm', 'gd', SAME);
  const which = done === S ? `Over all ${S} seeds (${first}–${first + S - 1})` : `Over the ${done} of ${S} seeds done so far`;
  return (
    <p className="verdict-seeds" data-testid="verdict-seeds" data-done={done} data-of={S} data-better={better.count}>
      <strong>{which}:</strong> GD+M&apos;s test error is lower than GD&apos;s by more than {SAME * 100} points in {better.count} of {better.of}; mean test
      error {spreadText(gdm)} with GD+M against {spreadText(gd)} with GD (mean, and range over the seeds).
      {done < S ? ` The other ${S - done} train in the background.` : ''}
    </p>
  );
}

/** Each what-if's outcome beside the pair's, from its own latest row: the skeptic's answers in one line each. */
function WhatIfVerdict() {
  const lineup = useParams((s) => s.lineup);
  const runNames = useTraining((s) => s.runNames);
  const last = useTraining((s) => s.traces);
  const whatIfs = runNames.filter((name) => !PAIR.includes(name));
  const view = useSeedsView();
  if (!whatIfs.length) return null;
  return (
    <ul className="verdict-what-ifs" data-testid="verdict-what-ifs">
      {whatIfs.map((name) => {
        const row = last[name]?.rows.at(-1);
        return (
          <li key={name} data-run={name} data-value={row?.testErr ?? ''}>
            {runTitle(name, lineup)}: test error {pct(row?.testErr)}
            {row ? `, small-margin examples fitted ${how(row)}` : ''}
            {view?.runs[name] && view.done > 1 ? `; over ${view.done} seeds ${spreadText(view.runs[name].final.testErr)}` : ''}
          </li>
        );
      })}
    </ul>
  );
}
