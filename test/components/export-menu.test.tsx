// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { initialTraining, useTraining } from '../../src/state/training';
import { ExportMenu } from '../../src/ui/ExportMenu';
import { fixturePanelData } from '../support/panel-fixture';
import { render } from '../support/render';

afterEach(() => {
  useTraining.setState(initialTraining);
  vi.restoreAllMocks();
});

/** Let the click's promise chain settle. */
const settle = () => act(async () => new Promise((resolve) => setTimeout(resolve, 0)));

describe('the export menu of a figure', () => {
  it('is a row of real buttons, each named for the figure, and says when WebM cannot be recorded', async () => {
    const { container, unmount } = render(<ExportMenu panelId="race" />);
    const buttons = [...container.querySelectorAll('button')];
    expect(buttons.map((b) => b.textContent)).toEqual(['PNG', 'SVG', 'CSV', 'JSON', 'WebM: not supported']);
    for (const b of buttons) {
      expect(b.type).toBe('button');
      expect(b.getAttribute('aria-label')).toContain('the race figure');
    }
    // jsdom has no MediaRecorder: pressing WebM explains instead of failing
    act(() => buttons[4].click());
    expect(container.querySelector('[role=status]')!.textContent).toMatch(/cannot record WebM/);
    unmount();
  });

  it('CSV downloads the trace of the runs on the page through a link with a file name', async () => {
    const data = await fixturePanelData();
    useTraining.setState({ config: data.config, small: data.small, examples: data.examples, traces: { gd: data.runs.gd!, gdm: data.runs.gdm! } });
    const figure = document.createElement('figure');
    figure.dataset.panel = 'feature';
    document.body.append(figure);
    const blobs: Blob[] = [];
    URL.createObjectURL = vi.fn((b: Blob) => (blobs.push(b), 'blob:fake'));
    URL.revokeObjectURL = vi.fn();
    const names: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download);
    });
    const { container, unmount } = render(<ExportMenu panelId="feature" />);
    act(() => container.querySelector<HTMLButtonElement>('[data-export=csv]')!.click());
    await settle();
    expect(names).toEqual(['momentum-feature.csv']);
    const text = await blobs[0].text();
    expect(text.split('\n')[0]).toMatch(/^run,t,loss,/);
    expect(text.trimEnd().split('\n')).toHaveLength(1 + data.runs.gd!.rows.length + data.runs.gdm!.rows.length);
    expect(container.querySelector('[role=status]')!.textContent).toBe('Saved momentum-feature.csv.');
    unmount();
    figure.remove();
  });
});
