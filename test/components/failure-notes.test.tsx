// @vitest-environment jsdom
import { act } from 'react';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PanelData } from '../../src/state/panel-data';
import { explainDivergence } from '../../src/sim/divergence';
import { useParams } from '../../src/state/params';
import { initialTraining, useTraining } from '../../src/state/training';
import { RunSummary } from '../../src/ui/RunSummary';
import { StatusChip } from '../../src/ui/StatusChip';
import { fixturePanelData } from '../support/panel-fixture';
import { render } from '../support/render';

let data: PanelData;
beforeAll(async () => {
  data = await fixturePanelData();
});

describe('what the reader is told when something fails', () => {
  it('a frozen run: which run, where, why, the other goes on, and a button with a learning rate that applies it', () => {
    const config = { ...data.config, eta: 0.3, gamma: 0.9, momentumForm: 'heavyball' as const };
    const gdm = { ...data.runs.gdm!, rows: data.runs.gdm!.rows.slice(0, 2) };
    useTraining.setState({
      ...initialTraining,
      config,
      status: 'done',
      traces: { gd: data.runs.gd!, gdm },
      diverged: { gdm: explainDivergence(config, 'gdm', gdm.rows.length * config.logEvery, 'exploding loss') },
    });
    const { container, unmount } = render(
      <>
        <RunSummary name="gd" />
        <RunSummary name="gdm" />
      </>,
    );
    const alert = container.querySelector('[data-testid=gdm-diverged]')!;
    expect(alert.textContent).toBe(
      `GD+M diverged at step ${2 * config.logEvery} (its loss exploded) and stopped there; GD goes on. Likely cause: the learning rate η = 0.3 ` +
        'is too large for γ = 0.9 (with heavy-ball momentum the effective step is η/(1−γ) = 3). Try η = 0.02',
    );
    expect(container.querySelector('[data-testid=gd-diverged]')).toBeNull();
    // the frozen run shows its last finite numbers
    expect(container.querySelector('[data-testid=gdm-t]')?.getAttribute('data-value')).toBe(String(gdm.rows[1].t));
    act(() => (alert.querySelector('button') as HTMLButtonElement).click());
    expect(useParams.getState().config.eta).toBe(0.02);
    unmount();
  });

  it('the status chip shows an incident in words', () => {
    useTraining.setState({
      ...initialTraining,
      backend: { name: 'wasm', renderer: null, float32: null, reason: 'webgl failed mid-run' },
      incident: 'webgl: the WebGL context was lost at step 420; switched to wasm and restarted the run from its seed',
    });
    const { container, unmount } = render(<StatusChip />);
    expect(container.querySelector('[data-testid=incident]')?.textContent).toBe(
      ' · webgl: the WebGL context was lost at step 420; switched to wasm and restarted the run from its seed',
    );
    expect(container.querySelector('.chip')?.getAttribute('data-backend')).toBe('wasm');
    unmount();
  });
});
