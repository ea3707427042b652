import type { ReactNode } from 'react';
import type { SceneId } from '../sim/story';
import { summarizeMap, sweepCells } from '../sim/sweep';
import { useSweep } from '../state/sweep';
import { useTraining } from '../state/training';
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
            fraction <Tex tex="\mu" /> = {mu} of them (small margin, <Tex tex="\beta \ll \alpha" />). The other patches are noise,
            orthogonal to the shared feature <Tex tex="w^*" />.
          </p>
          <p>
            The network <Tex tex="f(X)=\sum_{r}\sum_{j}\langle w_r, X[j]\rangle^3" /> can fit an example in two ways: by learning{' '}
            <Tex tex="w^*" />, which carries over to new examples, or by memorizing that example&apos;s own noise, which does not.
          </p>
        </>
      );
    },
  },
  learn: {
    title: 'Phase 1: both learn the feature',
    body: () => (
      <p>
        At first every large-margin example pushes the filters towards <Tex tex="w^*" />. The feature{' '}
        <Tex tex="c=\max_r\langle w_r,w^*\rangle" /> grows faster the larger it already is (<Tex tex="\dot c \propto c^2" />), so it
        shoots up. GD and GD+M look alike: GD has <Tex tex="c" /> = <LiveNumber run="gd" field="cMax" as="num" />, GD+M{' '}
        <LiveNumber run="gdm" field="cMax" as="num" /> at the shown step.
      </p>
    ),
  },
  dies: {
    title: 'The large-margin gradient dies',
    body: () => (
      <p>
        Once the large-margin examples are fitted, their loss terms <Tex tex="\ell_i=\mathrm{sigmoid}(-y_if(X_i))" /> vanish, and with them
        GD&apos;s push along <Tex tex="w^*" />. Only the small-margin examples still push, weakly: their pull scales with{' '}
        <Tex tex="\beta^3" />. GD+M does not step along the current gradient but along its buffer{' '}
        <Tex tex="g_t=\gamma g_{t-1}+(1-\gamma)\nabla L(W_t)" />, which still holds the large-margin gradients of the last <Memory />.
      </p>
    ),
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
    title: 'GD+M carries on',
    body: () => (
      <p>
        The buffer kept pushing <Tex tex="c" /> after the large-margin examples were fitted, so GD+M&apos;s feature overshoots: at the shown
        step <Tex tex="c" /> = <LiveNumber run="gdm" field="cMax" as="num" /> against GD&apos;s <LiveNumber run="gd" field="cMax" as="num" />.
        Since the feature&apos;s growth scales with <Tex tex="c^2" />, the feature now wins the race against memorization, and GD+M fits
        the small-margin examples through <Tex tex="w^*" />: its dots move along the signal axis.
      </p>
    ),
  },
  test: {
    title: 'The test set tells them apart',
    body: () => (
      <>
        <p>
          Both fit the whole training set (final train error: GD <LiveNumber run="gd" field="trainErr" at="latest" />, GD+M{' '}
          <LiveNumber run="gdm" field="trainErr" at="latest" />). On new small-margin examples, memorized noise is useless: GD is at
          chance, <LiveNumber run="gd" field="testErrSmall" at="latest" /> wrong, while GD+M gets{' '}
          <LiveNumber run="gdm" field="testErrSmall" at="latest" /> wrong. Test error overall: GD{' '}
          <LiveNumber run="gd" field="testErr" at="latest" />, GD+M <LiveNumber run="gdm" field="testErr" at="latest" />.
        </p>
        <p>
          Now test it: set <Tex tex="\gamma" /> to 0 and GD+M becomes GD. Move <Tex tex="\beta" /> up to 0.15 and both learn the feature;
          down to 0.05 and both memorize. The gap lives in a window of margins, and a smaller margin needs a longer memory (
          <Tex tex="\gamma" /> closer to 1).
        </p>
      </>
    ),
  },
  map: {
    title: 'The whole landscape',
    body: () => (
      <>
        <p>
          One pair of runs could be luck. The map trains GD and GD+M over a grid of momentum <Tex tex="\gamma" /> and small margin{' '}
          <Tex tex="\beta" />, every other parameter as above, and colours each cell by how much lower GD+M&apos;s test error is.
        </p>
        <MapWords />
      </>
    ),
  },
};

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
