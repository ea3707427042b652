import { useDeferredValue } from 'react';
import { PAIR, RUN_NAMES, type RunChoice, type RunName, runDef } from '../sim/runs';
import { setLineup, useParams } from '../state/params';
import { mechanismOf, usePanelData } from '../state/selectors';
import { RUN_STYLE } from '../view/theme';
import { type ArgTick, WhatIfArg } from './WhatIfArg';

const WHAT_IFS = RUN_NAMES.filter((id) => !PAIR.includes(id));

/** Where each argument's slider is worth a tick: the moments and values the story turns on. */
function useTicks(): Partial<Record<RunName, ArgTick[]>> {
  const config = useParams((s) => s.config);
  // Deferred like the figures' (ui/Figures.tsx): the ticks follow a streaming run a render later,
  // not in the frame that takes each snapshot in.
  const data = useDeferredValue(usePanelData());
  const m = data ? mechanismOf(data) : null;
  const fit = m?.fitted.gdm;
  const collapse = m?.collapsed.gdm;
  // One tick (a second, at the collapse a few steps later, would sit on top of it).
  const K: ArgTick[] = fit !== null && fit !== undefined ? [{ value: fit, label: `the step where GD+M fits its large-margin examples${collapse ? ` (their push collapses at t = ${collapse})` : ''}` }] : [];
  const heavy = config.gamma < 1 ? +(config.eta / (1 - config.gamma)).toPrecision(3) : Number.NaN;
  const full = [{ value: config.N, label: 'full batch' }];
  return {
    'gdm-until': K,
    'gdm-from': K,
    'gd-eta': [
      { value: heavy, label: 'the heavy-ball step η/(1 − γ)' },
      { value: 3, label: 'still like GD' },
      { value: 10, label: 'GD overshoots on its own' },
    ].filter((t, k, all) => all.findIndex((u) => u.value === t.value) === k),
    sgd: full,
    sgdm: full,
  };
}

/**
 * The skeptic's runs: each what-if trains beside GD and GD+M, from the same data and start, when
 * ticked; its argument (K, η', b) is a slider with ticks and a number field. Every change is a new start.
 */
export function WhatIfMenu() {
  const config = useParams((s) => s.config);
  const lineup = useParams((s) => s.lineup);
  const ticks = useTicks();
  const choice = (run: RunName) => lineup.find((c) => c.id === run);
  const toggle = (run: RunName, on: boolean) =>
    setLineup(on ? [...lineup, { id: run, arg: runDef(run).arg?.default }] : lineup.filter((c) => c.id !== run));
  const setArg = (run: RunName, arg: number) =>
    setLineup(lineup.map((c): RunChoice => (c.id === run ? { id: run, arg } : c)));
  return (
    <details className="what-if" open={lineup.length > PAIR.length}>
      <summary>What if…? Runs that test the mechanism ({lineup.length - PAIR.length} on)</summary>
      <ul className="what-if-list">
        {WHAT_IFS.map((run) => {
          const def = runDef(run);
          const arg = def.arg!;
          const [lo, hi] = arg.range(config);
          const on = choice(run);
          return (
            <li key={run} data-what-if={run}>
              <label>
                <input type="checkbox" checked={!!on} onChange={(e) => toggle(run, e.currentTarget.checked)} />
                <svg width="28" height="10" aria-hidden="true">
                  <line x1="1" y1="5" x2="27" y2="5" stroke={RUN_STYLE[run].color} strokeWidth="3" strokeDasharray={RUN_STYLE[run].dash} />
                </svg>{' '}
                {def.label}: {def.description}
              </label>
              {on && (
                <WhatIfArg run={run} arg={arg} range={[lo, hi]} value={on.arg ?? arg.default} ticks={ticks[run] ?? []} onChange={(v) => v !== on.arg && setArg(run, v)} />
              )}
            </li>
          );
        })}
      </ul>
    </details>
  );
}
