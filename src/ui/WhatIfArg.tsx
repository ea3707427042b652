import { useId, useState } from 'react';
import type { RunArg } from '../sim/runs';

/** A tick under the slider: a value worth landing on, and what happens there (said in the note). */
export interface ArgTick {
  value: number;
  label: string;
}

/**
 * Slider position 0..1000 for a value, logarithmic: η′ from its minimum, K and b as log(1 + v). The
 * steps that matter for K are the first hundred of T = 1500 (GD+M fits at t = 23 at the defaults):
 * on a linear slider they would be its first 7 %, on this one they are its first 63 %.
 */
const warp = (arg: Pick<RunArg, 'kind'>, v: number) => (arg.kind === 'int' ? Math.log1p(v) : Math.log(v));
const unwarp = (arg: Pick<RunArg, 'kind'>, w: number) => (arg.kind === 'int' ? Math.expm1(w) : Math.exp(w));

export function argToSlider(arg: Pick<RunArg, 'kind'>, [lo, hi]: [number, number], v: number): number {
  const a = warp(arg, lo);
  const b = warp(arg, hi);
  const s = b > a ? (1000 * (warp(arg, v) - a)) / (b - a) : 0;
  return Number.isFinite(s) ? Math.min(1000, Math.max(0, s)) : 0;
}

export function argFromSlider(arg: Pick<RunArg, 'kind'>, [lo, hi]: [number, number], s: number): number {
  const v = unwarp(arg, warp(arg, lo) + ((warp(arg, hi) - warp(arg, lo)) * s) / 1000);
  return Math.min(hi, Math.max(lo, arg.kind === 'int' ? Math.round(v) : Number(v.toPrecision(2))));
}

/**
 * A what-if's argument: a slider with ticks where the story turns (K: the step where GD+M fits its
 * large-margin examples; η′: the heavy-ball step, 3 and 10; b: full batch), and a number field for
 * an exact value. Each change is a new start of the lineup, as the parameter sliders' are.
 */
export function WhatIfArg({ run, arg, range, value, ticks, onChange }: { run: string; arg: RunArg; range: [number, number]; value: number; ticks: ArgTick[]; onChange: (v: number) => void }) {
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const [lo, hi] = range;
  const inRange = ticks.filter((t) => Number.isFinite(t.value) && t.value >= lo && t.value <= hi);
  const commit = (v: number) => {
    setDraft(null);
    if (Number.isFinite(v)) onChange(Math.min(hi, Math.max(lo, arg.kind === 'int' ? Math.round(v) : v)));
  };
  return (
    <span className="what-if-arg" data-arg={run}>
      <label htmlFor={id}>{arg.name} =</label>
      <span className="slider what-if-slider">
        <input
          type="range"
          min={0}
          max={1000}
          step={1}
          value={argToSlider(arg, range, value)}
          aria-label={`${arg.name} slider (${arg.description})`}
          aria-valuetext={String(value)}
          list={inRange.length ? `${id}-ticks` : undefined}
          onChange={(e) => commit(argFromSlider(arg, range, Number(e.currentTarget.value)))}
        />
        {inRange.length > 0 && (
          <>
            <datalist id={`${id}-ticks`}>
              {inRange.map((t) => (
                <option key={t.label} value={argToSlider(arg, range, t.value)} label={String(t.value)} />
              ))}
            </datalist>
            <span className="ticks" aria-hidden="true">
              {inRange.map((t) => (
                <span key={t.label} style={{ left: `${argToSlider(arg, range, t.value) / 10}%` }} data-tick={t.value}>
                  {t.value}
                </span>
              ))}
            </span>
          </>
        )}
      </span>
      <input
        id={id}
        type="number"
        min={lo}
        max={hi}
        step={arg.kind === 'int' ? 1 : 'any'}
        value={draft ?? value}
        onChange={(e) => setDraft(e.currentTarget.value)}
        onBlur={(e) => draft !== null && commit(Number(e.currentTarget.value))}
        onKeyDown={(e) => e.key === 'Enter' && commit(Number(e.currentTarget.value))}
      />
      <span className="note what-if-ticks">
        ({lo} to {hi}
        {inRange.map((t) => `; ${t.value}: ${t.label}`).join('')})
      </span>
    </span>
  );
}
