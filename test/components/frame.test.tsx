// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { RunLegend } from '../../src/panels/RunLegend';
import { render } from '../support/render';

describe('shared panel pieces', () => {
  it('the run legend names both runs with a second cue besides colour', () => {
    const { container, unmount } = render(<RunLegend gamma={0.9} />);
    expect(container.textContent).toContain('GD (plain gradient descent)');
    expect(container.textContent).toContain('γ = 0.9');
    expect(container.querySelectorAll('line')[1].getAttribute('stroke-dasharray')).toBe('6 3');
    expect(container.querySelector('rect')).not.toBeNull();
    unmount();
  });
});
