// @vitest-environment jsdom
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type NumericParamSpec, paramSpec } from '../../src/sim/params';
import { useParams } from '../../src/state/params';
import { NumericControl } from '../../src/ui/ParamControls';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: ReturnType<typeof createRoot> | null = null;
afterEach(() => {
  act(() => root?.unmount());
  root = null;
  document.body.innerHTML = '';
  useParams.setState({ config: DEFAULT_CONFIG, notes: [] });
});

function typeInto(key: 'd' | 'N', text: string): HTMLInputElement {
  const host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  act(() => root!.render(<NumericControl spec={paramSpec(key) as NumericParamSpec} />));
  const input = host.querySelector<HTMLInputElement>(`input[name=${key}]`)!;
  const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
  act(() => {
    setValue.call(input, text);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  act(() => input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })));
  return input;
}

describe('a typed size that breaks a bound with the others', () => {
  it('is refused with the bound named, and the config stays', () => {
    useParams.setState({ config: { ...DEFAULT_CONFIG, N: 2000 }, notes: [] });
    typeInto('d', '200');
    const alert = document.querySelector('[role=alert]');
    expect(alert?.textContent).toContain('d = 200: N·P·d·m = 2000·5·200·20 = 40,000,000 is over the work bound');
    expect(useParams.getState().config.d).toBe(DEFAULT_CONFIG.d);
  });

  it('within the bounds, is taken', () => {
    useParams.setState({ config: { ...DEFAULT_CONFIG, N: 2000 }, notes: [] });
    typeInto('d', '150');
    expect(document.querySelector('[role=alert]')).toBeNull();
    expect(useParams.getState().config.d).toBe(150);
  });
});
