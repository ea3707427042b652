import type { ReactNode } from 'react';
import type { SceneId } from '../sim/story';
import { summarizeMap, sweepCells, sweepSeeds } from '../sim/sweep';
import { useSweep } from '../state/sweep';
import { useTraining } from '../state/training';
import { setLineup, useParams } from '../state/params';
import { mechanismOf, usePanelData, useSeedsView } from '../state/selectors';
import { seedsWhere } from '../sim/seeds';
import { spreadText } from '../view/format';
import { QUESTIONS, answers } from '../view/skeptic';
import { LiveNumber } from './LiveNumber';
import { Tex } from '../view/Tex';

function useConfigValue<K extends 'gamma' | 'beta' | 'alpha' | 'mu' | 'P' | 'd' | 'N'>(key: K): number | undefined {
  return useTraining((s) => s.config?.[key]);
}

function Memory() {
  const gamma = useConfigValue('gamma');
  const steps = gamma !== undefined && gamma < 1 ? Math.round(1 / (1 - gamma)) : null;
  return <>{steps !== null && gamma !== 0 ? `about 1/(1 − γ) = ${steps} steps` : 'no steps at all (γ = 0: no memory)'}</>;
}

/** The causal chain measured on the runs on screen (sim/mechanism.ts). */
function useMechanism() {
  const data = usePanelData();
  return data ? mechanismOf(data) : null;
}

/** A number from the mechanism, bold like the live numbers ("–" until it is known). */
function Mech({ value, digits = 2, id }: { value: number | null | undefined; digits?: number; id: string }) {
  return (
    <strong className="live" data-testid={`mech-${id}`} data-value={value ?? ''}>
      {value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits)}
    </strong>
  );
}

/** A question to answer before the replay; the answer opens on demand (a real <details>: keyboard and screen readers know it). */
function Predict({ question, children }: { question: ReactNode; children: ReactNode }) {
  return (
    <details className="predict">
      <summary>
        <span className="predict-label">Predict first:</span> {question} <span className="predict-open">Show the answer</span>
      </summary>
      <div className="predict-answer">{children}</div>
    </details>
  );
}

/** The story's words, scene by scene. Numbers in bold come from the runs on screen. */
export const SCENES: Record<SceneId, { title: string; body: () => ReactNode }> = {
  data: {
    title: 'The data',
    body: function Data() {
      const [P, d, mu] = [useConfigValue('P'), useConfigValue('d'), useConfigValue('mu')];
      return (
        <>
          <p>
            Every example <Tex tex="X" /> is {P} patches of {d} numbers. One patch, at a random place <Tex tex="s" />, carries the
            label: <Tex tex="X[s] = y\,\alpha\,w^*" /> for most examples (large margin) and <Tex tex="X[s] = y\,\beta\,w^*" /> for a
            fraction <Tex tex="\mu" /> = {mu} of them (small margin, <Tex tex="\beta \ll \alpha" />). The other patches are Gaussian noise
            orthogonal to the shared feature <Tex tex="w^*" />.
          </p>
          <p>
            The network <Tex tex="f(X)=\sum_{r}\sum_{j}\langle w_r, X[j]\rangle^3" /> can fit an example in two ways: by learning{' '}
            <Tex tex="w^*" />, which carries over to new examples, or by memorizing that example&apos;s own noise, which does not. An example
            is <em>fitted</em> when <Tex tex="y f(X) > 0" />: on the right side, not at zero loss.
          </p>
        </>
      );
    },
  },
  learn: {
    title: 'Both learn the feature',
    body: function Learn() {
      const m = useMechanism();
      return (
        <p>
          Every large-margin example pushes the filters towards <Tex tex="w^*" />. The feature <Tex tex="c=\max_r\langle w_r,w^*\rangle" />{' '}
          grows faster the larger it already is (<Tex tex="\dot c \propto c^2" />). Both runs learn it. GD fits every large-margin example
          at t = <Mech id="fitted-gd" value={m?.fitted.gd} digits={0} />, GD+M at t = <Mech id="fitted-gdm" value={m?.fitted.gdm} digits={0} />:
          its buffer starts empty, so its first steps are shorter. Being fitted does not stop their push: their loss terms{' '}
          <Tex tex="\ell_i=\mathrm{sigmoid}(-y_if(X_i))" /> shrink only as <Tex tex="y_i f" /> grows. At the shown step GD has <Tex tex="c" /> ={' '}
          <LiveNumber run="gd" field="cMax" as="num" />, GD+M <LiveNumber run="gdm" field="cMax" as="num" />.
        </p>
      );
    },
  },
  dies: {
    title: 'The large-margin push collapses; the buffer does not',
    body: function Dies() {
      const m = useMechanism();
      return (
        <p>
          Once the large-margin examples are fitted with room to spare, their loss terms become tiny and their push along <Tex tex="w^*" />{' '}
          collapses (below 10 % of its peak): at t = <Mech id="collapsed-gd" value={m?.collapsed.gd} digits={0} /> for GD, t ={' '}
          <Mech id="collapsed-gdm" value={m?.collapsed.gdm} digits={0} /> for GD+M. GD steps along the current gradient, so it is left with the
          weak push of the small-margin examples, which scales with <Tex tex="\beta^3" />. GD+M steps along its <em>buffer</em>, the running
          average of past gradients <Tex tex="g_t=\gamma g_{t-1}+(1-\gamma)\nabla L(W_t)" />: at that moment it still holds{' '}
          <Mech id="g0" value={m?.carry?.g0} /> along <Tex tex="w^*" />, and forgets it as <Tex tex="\gamma^k" />, over <Memory />.
        </p>
      );
    },
  },
  memorize: {
    title: 'GD memorizes',
    body: () => (
      <p>
        With its feature stalled, GD fits each small-margin example the other way: its filters align with that example&apos;s noise
        patches. In the race, GD&apos;s small-margin dots climb the noise axis. Share of small-margin training examples fitted more by the
        feature than by noise at the shown step: GD <LiveNumber run="gd" field="smallByFeature" />, GD+M{' '}
        <LiveNumber run="gdm" field="smallByFeature" />.
      </p>
    ),
  },
  carry: {
    title: 'The carry decides the race',
    body: function Carry() {
      const m = useMechanism();
      const c = m?.carry;
      return (
        <>
          <Predict question="after the large-margin push collapses, whose feature grows more in the next few dozen steps?">
            GD+M&apos;s: by <Mech id="carry-growth" value={c?.growth} /> from t = <Mech id="carry-t0" value={c?.t0} digits={0} /> to{' '}
            <Mech id="carry-t1" value={c?.t1} digits={0} />, against <Mech id="carry-gd-growth" value={c?.gdGrowth} /> for GD over the same steps.
          </Predict>
          <p>
            Of that growth, <Mech id="carried" value={c?.carried} /> is paid for by gradients that were already in the buffer when the
            large-margin push collapsed; the estimate <Tex tex="\eta\,g\,\gamma/(1-\gamma)" /> gives <Mech id="estimate" value={c?.estimate} />.
            This is the <em>overshoot</em>: a head start in <Tex tex="c" />. It compounds: the small-margin push along <Tex tex="w^*" /> is{' '}
            <Tex tex="3\beta^3c_r^2\cdot\frac1N\sum_{i\,\text{small}}\ell_i" />, so a larger <Tex tex="c" /> learns faster. From then on
            GD+M&apos;s small-margin push is a median <Mech id="push-ratio" value={m?.smallPushRatio?.median} digits={1} /> times GD&apos;s.
          </p>
          <p>
            The dotted lines in the feature figure are <Tex tex="c^*" />, the feature at which <Tex tex="\beta^3c^3" /> outweighs a typical
            small-margin example&apos;s noise part. Memorized noise raises it: at the end GD&apos;s <Tex tex="c" /> ={' '}
            <Mech id="final-c-gd" value={m?.finalThreshold.gd?.c} /> against its <Tex tex="c^*" /> = <Mech id="final-th-gd" value={m?.finalThreshold.gd?.threshold} />,
            GD+M&apos;s <Mech id="final-c-gdm" value={m?.finalThreshold.gdm?.c} /> against <Mech id="final-th-gdm" value={m?.finalThreshold.gdm?.threshold} />.
          </p>
        </>
      );
    },
  },
  dip: {
    title: 'GD almost generalizes, then memorizes',
    body: function Dip() {
      const m = useMechanism();
      const dip = m?.gdDip;
      return (
        <>
          <Predict question="GD ends near chance on new small-margin examples. Was it always there?">
            No. Its small-margin test error first falls to <Mech id="dip-min" value={dip ? 100 * dip.min : null} digits={1} /> % at t ={' '}
            <Mech id="dip-at" value={dip?.at} digits={0} />, then climbs back to <Mech id="dip-final" value={dip ? 100 * dip.final : null} digits={1} /> %.
          </Predict>
          <p>
            While GD&apos;s feature is still ahead of its noise, the feature alone classifies new small-margin examples. Then memorization
            grows each training example&apos;s own noise direction, the filters pick up noise that new examples also project on, and the
            feature loses the race: the errors figure shows the dip and the climb.
          </p>
        </>
      );
    },
  },
  test: {
    title: 'The test set tells them apart',
    body: () => (
      <>
        <p>
          Both fit the whole training set (final train error: GD <LiveNumber run="gd" field="trainErr" at="latest" />, GD+M{' '}
          <LiveNumber run="gdm" field="trainErr" at="latest" />). On new small-margin examples, memorized noise is useless: GD is at{' '}
          <LiveNumber run="gd" field="testErrSmall" at="latest" /> wrong (50 % is chance), GD+M at{' '}
          <LiveNumber run="gdm" field="testErrSmall" at="latest" />. Test error overall: GD <LiveNumber run="gd" field="testErr" at="latest" />,
          GD+M <LiveNumber run="gdm" field="testErr" at="latest" />; the largest possible gap is half the share of small-margin examples,{' '}
          <Tex tex="\mu/2" />.
        </p>
        <Predict question="what happens at γ = 0? At β = 0.15? At β = 0.05?">
          γ = 0 makes GD+M plain GD: no gap. At β = 0.15 both learn the feature; at 0.05 both memorize. The gap lives in a window of
          margins, and a smaller margin needs a longer memory (<Tex tex="\gamma" /> closer to 1). Move the sliders to check.
        </Predict>
      </>
    ),
  },
  skeptic: {
    title: 'A skeptic’s questions, answered by runs',
    body: function Skeptic() {
      return <SkepticAnswers />;
    },
  },
  map: {
    title: 'The whole landscape',
    body: () => (
      <>
        <p>
          The map trains GD and GD+M over a grid of momentum <Tex tex="\gamma" /> and small margin <Tex tex="\beta" />, every other
          parameter as above (<MapSeeds />), and colours each cell by how much lower GD+M&apos;s test error is. The largest
          possible gap is <Tex tex="\mu/2" /> in points.
        </p>
        <MapWords />
      </>
    ),
  },
};

/** How many seeds the map on screen averages, in words. */
function MapSeeds() {
  const S = useSweep((s) => (s.trace ? sweepSeeds(s.trace) : null));
  if (S === null) return <>the view&apos;s seeds</>;
  return <>{S === 1 ? "one seed, the view's" : `each cell the mean over ${S} seeds`}</>;
}

/** The map's verdict in words, from the map on screen (nothing until it is computed). */
function MapWords() {
  const trace = useSweep((s) => (s.status === 'done' ? s.trace : null));
  if (!trace) return <p>The map is still being computed; its numbers appear here when it is done.</p>;
  const summary = summarizeMap(sweepCells(trace));
  const rows = summary.minGamma.filter((r) => r.gamma !== null);
  return (
    <p data-testid="map-words">
      GD+M beats GD by more than 5 points of test error in <strong>{summary.helped}</strong> of {summary.cells} cells.{' '}
      {rows.length
        ? rows.map((r, k) => (
            <span key={r.beta}>
              {k ? '; ' : 'It needs '}
              <Tex tex={`\\gamma \\ge ${r.gamma}`} /> at <Tex tex={`\\beta = ${r.beta}`} />
            </span>
          ))
        : 'Nowhere on this grid.'}
      {rows.length ? '. Where β is large both learn the feature; where it is small both memorize unless γ is close to 1.' : ''}
    </p>
  );
}

/** The lineup the skeptic's scene offers: one what-if per question part, at the arguments the story uses. */
const SKEPTIC_LINEUP = [
  { id: 'gd' as const },
  { id: 'gdm' as const },
  { id: 'gdm-until' as const, arg: 100 },
  { id: 'gdm-from' as const, arg: 30 },
  { id: 'gd-eta' as const, arg: 3 },
  { id: 'sgdm' as const, arg: 50 },
];

function SkepticAnswers() {
  const lineup = useParams((s) => s.lineup);
  const traces = useTraining((s) => s.traces);
  const done = useTraining((s) => s.status === 'done');
  const found = answers(lineup, traces);
  const seeds = useSeedsView();
  const seedSummaries = useTraining((s) => s.seeds);
  const S = useTraining((s) => s.config?.seeds ?? 1);
  const gd = traces.gd?.rows.at(-1)?.testErr;
  const gdm = traces.gdm?.rows.at(-1)?.testErr;
  const pctOf = (x: number | undefined) => (x === undefined ? '–' : `${(100 * x).toFixed(1)} %`);
  return (
    <>
      <p>
        The runs above show a difference and a mechanism. Three questions remain; each has a run that answers it, trained beside GD (
        {pctOf(gd)} test error) and GD+M ({pctOf(gdm)}) from the same data and start.{' '}
        {!done && 'The numbers below are final once the runs are done.'}
      </p>
      {QUESTIONS.map((q) => {
        const present = q.runs.map((r) => found[r]).filter((a) => a !== undefined);
        return (
          <div key={q.id} className="skeptic-question" data-question={q.id}>
            <p>
              <strong>{q.text}</strong>
            </p>
            {present.length ? (
              <ul>
                {present.map((a) => (
                  <li key={a.run} data-testid={`skeptic-${a.run}`} data-value={a.testErr}>
                    {a.title}: test error <strong>{pctOf(a.testErr)}</strong>, {a.likeGdm ? 'like GD+M' : 'like GD'}
                    {a.run === 'gd-eta' && a.c50 !== null ? ` (c at t = 50: ${a.c50.toFixed(1)})` : ''}
                    {seeds?.runs[a.run] && seeds.done > 1 ? `; over ${seeds.done} seeds ${spreadText(seeds.runs[a.run]!.final.testErr)}` : ''}.
                  </li>
                ))}
              </ul>
            ) : (
              <p className="note">Add {q.runs.join(' or ')} in “What if…?” above to answer it here.</p>
            )}
            {q.id === 'step' && (
              <p className="note">
                Be careful with very large steps: at <Tex tex="\eta' = 10" /> plain GD learns the feature too, by a discrete-time
                overshoot (its <Tex tex="c" /> jumps past 12 by step 50), which is not the momentum effect; that is why the story keeps{' '}
                <Tex tex="\eta \le 1" />. Try it.
              </p>
            )}
            {q.id === 'noise' && (
              <p className="note">The paper&apos;s point is that GD+M beats GD with no minibatch noise at all; SGD runs are minibatches of b examples per step.</p>
            )}
          </div>
        );
      })}
      <div className="skeptic-question" data-question="luck">
        <p>
          <strong>And one seed could be luck: does it hold on other data sets and starts?</strong>
        </p>
        {seeds && seeds.done > 1 ? (
          <p data-testid="skeptic-seeds" data-done={seeds.done}>
            Over {seeds.done} seeds{seeds.done < seeds.S ? ` (of ${seeds.S}; the others are still training)` : ''}, GD+M&apos;s test error is
            lower than GD&apos;s by more than 2 points in <strong>{seedsWhere(seedSummaries, 'gdm', 'gd', 0.02).count}</strong> of{' '}
            {seedsWhere(seedSummaries, 'gdm', 'gd', 0.02).of}: GD+M {spreadText(seeds.runs.gdm?.final.testErr)}, GD{' '}
            {spreadText(seeds.runs.gd?.final.testErr)} (mean, and range over the seeds). The errors figure shades each run&apos;s range.
          </p>
        ) : (
          <p className="note">
            {S > 1 ? `The other ${S - 1} seeds train once this one is done; their numbers appear here.` : 'Set S (seeds) above 1 under Run to train other seeds beside this one.'}
          </p>
        )}
      </div>
      <p>
        <button type="button" onClick={() => setLineup(SKEPTIC_LINEUP)}>
          Train the what-ifs (until K = 100, from K = 30, η′ = 3, SGD+M with b = 50)
        </button>
      </p>
    </>
  );
}
