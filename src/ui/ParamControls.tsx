import { useId, useState } from 'react';
import { type NumericParamSpec, PARAMS, type ParamSpec } from '../sim/params';
import { parseParam } from '../sim/validate';
import { setParam, useParams } from '../state/params';
import { symbolText } from './format';

/** Slider position (0..1000) for a value, linear or logarithmic as the schema says. */
function toSlider(spec: NumericParamSpec, x: number): number {
  if (spec.scale === 'log') return (1000 * Math.log(x / spec.min)) / Math.log(spec.max / spec.min);
  return (1000 * (x - spec.min)) / (spec.max - spec.min);
}

function fromSlider(spec: NumericParamSpec, s: number): number {
  const x = spec.scale === 'log' ? spec.min * (spec.max / spec.min) ** (s / 1000) : spec.min + ((spec.max - spec.min) * s) / 1000;
  if (spec.kind === 'int') return Math.round(x);
  const step = spec.step || 10 ** (Math.floor(Math.log10(x)) - 2);
  return Number((Math.round(x / step) * step).toPrecision(6));
}

function NumericControl({ spec }: { spec: NumericParamSpec }) {
  const value = useParams((s) => s.config[spec.key]) as number;
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const commit = (text: string) => {
    const parsed = parseParam(spec, text);
    if ('error' in parsed) {
      setError(`${symbolText(spec.symbol)} ${parsed.error}`);
      return;
    }
    setError(null);
    setDraft(null);
    if (parsed.value !== value) setParam(spec.key, parsed.value);
  };
  return (
    <div className="param">
      <label htmlFor={id}>
        <span className="symbol">{symbolText(spec.symbol)}</span> <span className="description">{spec.description}</span>
      </label>
      <div className="inputs">
        <input
          type="range"
          min={0}
          max={1000}
          step={1}
          value={toSlider(spec, value)}
          aria-label={`${symbolText(spec.symbol)} slider`}
          aria-valuetext={String(value)}
          onChange={(e) => commit(String(fromSlider(spec, Number(e.target.value))))}
        />
        <input
          id={id}
          type="number"
          name={spec.key}
          min={spec.min}
          max={spec.max}
          step={spec.kind === 'int' ? 1 : 'any'}
          value={draft ?? value}
          aria-invalid={error !== null}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={(e) => draft !== null && commit(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && commit(e.currentTarget.value)}
        />
      </div>
      {error && (
        <p className="error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function EnumControl({ spec }: { spec: Extract<ParamSpec, { kind: 'enum' }> }) {
  const value = useParams((s) => s.config[spec.key]);
  const id = useId();
  return (
    <div className="param">
      <label htmlFor={id}>
        <span className="symbol">{symbolText(spec.symbol)}</span> <span className="description">{spec.description}</span>
      </label>
      <select id={id} name={spec.key} value={value} onChange={(e) => setParam(spec.key, e.target.value as typeof value)}>
        {spec.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </div>
  );
}

const GROUPS: { id: ParamSpec['group']; title: string }[] = [
  { id: 'optimizer', title: 'Optimizer' },
  { id: 'data', title: 'Data' },
  { id: 'model', title: 'Model' },
  { id: 'run', title: 'Run' },
];

/** One control per parameter of the schema, grouped; every change re-runs the experiment. */
export function ParamControls() {
  return (
    <form className="params" onSubmit={(e) => e.preventDefault()} aria-label="Parameters">
      {GROUPS.map((g) => (
        <fieldset key={g.id}>
          <legend>{g.title}</legend>
          {PARAMS.filter((p) => p.group === g.id).map((p) =>
            p.kind === 'enum' ? <EnumControl key={p.key} spec={p} /> : <NumericControl key={p.key} spec={p as NumericParamSpec} />,
          )}
        </fieldset>
      ))}
    </form>
  );
}
