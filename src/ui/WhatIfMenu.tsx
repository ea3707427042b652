import { useId } from 'react';
import { PAIR, RUN_NAMES, type RunChoice, type RunName, runDef } from '../sim/runs';
import { setLineup, useParams } from '../state/params';
import { mechanismOf, usePanelData } from '../state/selectors';
import { RUN_STYLE } from '../view/theme';

const WHAT_IFS = RUN_NAMES.filter((id) => !PAIR.includes(id));

/** Where each argument's slider is worth a tick, in words: the moment the story turns on. */
function useTicks(): Partial<Record<RunName, string>> {
  const config = useParams((s) => s.config);
  const data = usePanelData();
  const m = data ? mechanismOf(data) : null;
  const fit = m?.fitted.gdm;
  const collapse = m?.collapsed.gdm;
  const K = fit !== null && fit !== undefined ? `GD+M fits its large-margin examples at t = ${fit}${collapse !== null && collapse !== undefined ? `; their push collapses at t = ${collapse}` : ''}` : '';
  const heavy = config.gamma < 1 ? +(config.eta / (1 - config.gamma)).toFixed(3) : null;
  return {
    'gdm-until': K,
    'gdm-from': K,
    'gd-eta': `the heavy-ball step η/(1 − γ) = ${heavy ?? '–'}; 3; and 10, where GD overshoots on its own`,
    sgd: `N = ${config.N} is full batch`,
    sgdm: `N = ${config.N} is full batch`,
  };
}

/**
 * The skeptic's runs: each what-if trains beside GD and GD+M, from the same data and start, when
 * ticked; its argument (K, η', b) is a number field in its range. Every change is a new start.
 */
export function WhatIfMenu() {
  const config = useParams((s) => s.config);
  const lineup = useParams((s) => s.lineup);
  const ticks = useTicks();
  const id = useId();
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
                <span className="what-if-arg">
                  <label htmlFor={`${id}-${run}`}>{arg.name} =</label>{' '}
                  <input
                    id={`${id}-${run}`}
                    type="number"
                    min={lo}
                    max={hi}
                    step={arg.kind === 'int' ? 1 : 'any'}
                    defaultValue={on.arg ?? arg.default}
                    key={`${run}-${on.arg}`}
                    onBlur={(e) => {
                      const v = Number(e.currentTarget.value);
                      if (Number.isFinite(v) && v !== on.arg) setArg(run, v);
                    }}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter') (e.currentTarget as HTMLInputElement).blur();
                    }}
                  />{' '}
                  <span className="note">
                    ({lo} to {hi}{ticks[run] ? `; ${ticks[run]}` : ''})
                  </span>
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </details>
  );
}
