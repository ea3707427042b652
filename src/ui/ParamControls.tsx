import { useId, useState } from 'react';
import { type NumericParamSpec, PARAMS, type ParamKey, type ParamSpec } from '../sim/params';
import { boundIssues } from '../sim/bounds';
import { parseParam } from '../sim/validate';
import { setParam, useParams } from '../state/params';
import { symbolText } from '../view/format';

/** Slider position (0..1000) for a value, linear or logarithmic as the schema says; past the slider's end it stays at the end. */
export function toSlider(spec: NumericParamSpec, x: number): number {
  const max = spec.sliderMax ?? spec.max;
  const s = spec.scale === 'log' ? (1000 * Math.log(x / spec.min)) / Math.log(max / spec.min) : (1000 * (x - spec.min)) / (max - spec.min);
  return Math.min(1000, Math.max(0, s));
}

export function fromSlider(spec: NumericParamSpec, s: number): number {
  const max = spec.sliderMax ?? spec.max;
  const x = spec.scale === 'log' ? spec.min * (max / spec.min) ** (s / 1000) : spec.min + ((max - spec.min) * s) / 1000;
  if (spec.kind === 'int') return Math.round(x);
  const step = spec.step || 10 ** (Math.floor(Math.log10(x)) - 2);
  return Number((Math.round(x / step) * step).toPrecision(6));
}

/** Tick marks under a slider at the schema's meaningful values; what they mean is said in one line below. */
function SliderTicks({ spec, listId }: { spec: NumericParamSpec; listId: string }) {
  if (!spec.ticks) return null;
  return (
    <>
      <datalist id={listId}>
        {spec.ticks.map((tick) => (
          <option key={tick.value} value={toSlider(spec, tick.value)} label={String(tick.value)} />
        ))}
      </datalist>
      <div className="ticks" aria-hidden="true">
        {spec.ticks.map((tick) => (
          <span key={tick.value} style={{ left: `${toSlider(spec, tick.value) / 10}%` }}>
            {tick.value}
          </span>
        ))}
      </div>
    </>
  );
}

function TickNotes({ spec }: { spec: NumericParamSpec }) {
  const notes = spec.ticks?.filter((tick) => tick.label);
  if (!notes?.length) return null;
  return (
    <p className="tick-notes">
      {notes.map((tick) => (
        <span key={tick.value}>
          {symbolText(spec.symbol)} = {tick.value}: {tick.label}
        </span>
      ))}
    </p>
  );
}

export function NumericControl({ spec, featured = false }: { spec: NumericParamSpec; featured?: boolean }) {
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
    // A size in range alone may still break a bound with the others (sim/bounds.ts): refuse it here,
    // with the reason, rather than have the worker refuse the run.
    const over = boundIssues({ ...useParams.getState().config, [spec.key]: parsed.value });
    if (over.length) {
      setError(`${symbolText(spec.symbol)} = ${parsed.value}: ${over.map((i) => `${i.key} ${i.message}`).join('; ')}`);
      return;
    }
    setError(null);
    setDraft(null);
    if (parsed.value !== value) setParam(spec.key, parsed.value);
  };
  return (
    <div className={featured ? 'param featured' : 'param'}>
      <label htmlFor={id}>
        <span className="symbol">{symbolText(spec.symbol)}</span> <span className="description">{spec.description}</span>
      </label>
      <div className="inputs">
        <div className="slider">
          <input
            type="range"
            min={0}
            max={1000}
            step={1}
            value={toSlider(spec, value)}
            aria-label={`${symbolText(spec.symbol)} slider`}
            aria-valuetext={String(value)}
            list={spec.ticks ? `${id}-ticks` : undefined}
            onChange={(e) => commit(String(fromSlider(spec, Number(e.target.value))))}
          />
          <SliderTicks spec={spec} listId={`${id}-ticks`} />
        </div>
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
      {featured && <TickNotes spec={spec} />}
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

/** One control per parameter of the schema (but `exclude`), grouped; every change re-runs the experiment. */
export function ParamControls({ exclude = [] }: { exclude?: readonly ParamKey[] }) {
  const shown = PARAMS.filter((p) => !exclude.includes(p.key));
  return (
    <form className="params" onSubmit={(e) => e.preventDefault()} aria-label="Parameters">
      {GROUPS.filter((g) => shown.some((p) => p.group === g.id)).map((g) => (
        <fieldset key={g.id}>
          <legend>{g.title}</legend>
          {shown.filter((p) => p.group === g.id).map((p) =>
            p.kind === 'enum' ? <EnumControl key={p.key} spec={p} /> : <NumericControl key={p.key} spec={p as NumericParamSpec} />,
          )}
        </fieldset>
      ))}
    </form>
  );
}
