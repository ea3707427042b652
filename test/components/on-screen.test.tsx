// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OnScreen } from '../../src/ui/OnScreen';
import { render } from '../support/render';

/** A stand-in IntersectionObserver whose one entry the test moves on and off screen. */
let report: ((visible: boolean) => void) | null = null;
class FakeObserver {
  constructor(private readonly callback: (entries: { isIntersecting: boolean }[]) => void) {
    report = (visible) => act(() => this.callback([{ isIntersecting: visible }]));
  }
  observe() {}
  disconnect() {}
}

let renders = 0;
function Figure({ t }: { t: number }) {
  renders++;
  return <p>t = {t}</p>;
}

describe('OnScreen', () => {
  afterEach(() => {
    delete (globalThis as { IntersectionObserver?: unknown }).IntersectionObserver;
  });

  it('off screen while streaming, a figure keeps its drawing; on screen, or when streaming stops, it catches up', () => {
    (globalThis as { IntersectionObserver?: unknown }).IntersectionObserver = FakeObserver;
    const view = (t: number, streaming: boolean) => (
      <OnScreen version={String(t)} streaming={streaming}>
        <Figure t={t} />
      </OnScreen>
    );
    const { container, rerender, unmount } = render(view(1, true));
    // far from the screen it has not mounted yet (its box is reserved); near it, it draws
    expect(container.textContent).toBe('');
    report!(true);
    expect(container.textContent).toBe('t = 1');
    report!(false);
    const before = renders;
    rerender(view(2, true));
    rerender(view(3, true));
    expect(container.textContent).toBe('t = 1');
    expect(renders).toBe(before);
    report!(true);
    expect(container.textContent).toBe('t = 3');
    report!(false);
    rerender(view(4, true));
    expect(container.textContent).toBe('t = 3');
    rerender(view(5, false));
    expect(container.textContent).toBe('t = 5');
    unmount();
  });

  it('a figure never near the screen mounts anyway after a while, but not while a run streams in', () => {
    (globalThis as { IntersectionObserver?: unknown }).IntersectionObserver = FakeObserver;
    vi.useFakeTimers();
    try {
      const view = (streaming: boolean) => (
        <OnScreen version="1" streaming={streaming}>
          <Figure t={1} />
        </OnScreen>
      );
      const { container, rerender, unmount } = render(view(true));
      act(() => vi.advanceTimersByTime(10_000));
      // mid-run: mounting it would stall the frames of the run
      expect(container.textContent).toBe('');
      rerender(view(false));
      act(() => vi.advanceTimersByTime(2_500));
      expect(container.textContent).toBe('t = 1');
      unmount();
    } finally {
      vi.useRealTimers();
    }
  });

  it('without IntersectionObserver everything is drawn', () => {
    const { container, rerender, unmount } = render(
      <OnScreen version="1" streaming>
        <Figure t={1} />
      </OnScreen>,
    );
    rerender(
      <OnScreen version="2" streaming>
        <Figure t={2} />
      </OnScreen>,
    );
    expect(container.textContent).toBe('t = 2');
    unmount();
  });
});
