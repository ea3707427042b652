// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/sim/params';
import type { TraceRow } from '../../src/sim/trace';
import { goLive, pauseReplay, replay, scrubTo, setSpeed, usePlayback } from '../../src/state/playback';
import { emptyTrace } from '../../src/state/traces';
import { initialTraining, useTraining } from '../../src/state/training';

/** A training store holding runs logged every 10 steps up to `upTo`. */
function trained(upTo: number, status: 'running' | 'done') {
  const rows = Array.from({ length: upTo / 10 + 1 }, (_, k) => ({ t: 10 * k }) as TraceRow);
  useTraining.setState({
    ...initialTraining,
    config: DEFAULT_CONFIG,
    status,
    t: upTo,
    traces: { gd: { ...emptyTrace(), rows }, gdm: { ...emptyTrace(), rows } },
  });
}

function reduceMotion(on: boolean) {
  window.matchMedia = ((query: string) => ({ matches: on && query.includes('reduce') })) as unknown as typeof window.matchMedia;
}

describe('playback cursor', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['requestAnimationFrame', 'cancelAnimationFrame', 'performance'] });
    reduceMotion(false);
    goLive();
    setSpeed(200);
  });
  afterEach(() => {
    pauseReplay();
    vi.useRealTimers();
  });

  it('replays a window at the chosen speed and stops at its end', () => {
    trained(1500, 'done');
    replay(100, 500);
    expect(usePlayback.getState()).toMatchObject({ pinned: 100, replaying: true });
    vi.advanceTimersByTime(1000);
    const pinned = usePlayback.getState().pinned!;
    // 200 steps per second, give or take a frame
    expect(pinned).toBeGreaterThan(280);
    expect(pinned).toBeLessThan(320);
    vi.advanceTimersByTime(5000);
    expect(usePlayback.getState()).toMatchObject({ pinned: 500, replaying: false });
  });

  it('a replay given a duration takes that long, whatever the window', () => {
    trained(1500, 'done');
    replay(0, 90, 3000);
    vi.advanceTimersByTime(1500);
    expect(usePlayback.getState().pinned).toBeGreaterThan(35);
    expect(usePlayback.getState().pinned).toBeLessThan(55);
    vi.advanceTimersByTime(2000);
    expect(usePlayback.getState()).toMatchObject({ pinned: 90, replaying: false });
  });

  it('a replay to the end of a finished run ends live; pausing stops it where it is', () => {
    trained(1500, 'done');
    replay(1400);
    vi.advanceTimersByTime(2000);
    expect(usePlayback.getState()).toMatchObject({ pinned: null, replaying: false });
    replay(0);
    vi.advanceTimersByTime(500);
    pauseReplay();
    const where = usePlayback.getState().pinned!;
    vi.advanceTimersByTime(1000);
    expect(usePlayback.getState()).toMatchObject({ pinned: where, replaying: false });
  });

  it('waits at the end of what is computed while training goes on', () => {
    trained(300, 'running');
    replay(0, 1000);
    vi.advanceTimersByTime(3000);
    expect(usePlayback.getState()).toMatchObject({ pinned: 300, replaying: true });
    trained(1500, 'running');
    vi.advanceTimersByTime(2000);
    expect(usePlayback.getState().pinned).toBeGreaterThan(300);
  });

  it('scrubbing pins a step from 0 on; at the latest computed step the view is live again', () => {
    trained(1500, 'done');
    scrubTo(-5);
    expect(usePlayback.getState().pinned).toBe(0);
    scrubTo(700.4);
    expect(usePlayback.getState().pinned).toBe(700);
    scrubTo(1500);
    expect(usePlayback.getState().pinned).toBeNull();
    trained(300, 'running');
    scrubTo(200);
    expect(usePlayback.getState().pinned).toBe(200);
    scrubTo(300);
    expect(usePlayback.getState().pinned).toBeNull();
  });

  it('under prefers-reduced-motion a replay jumps instead of animating', () => {
    trained(1500, 'done');
    reduceMotion(true);
    replay(0, 800);
    expect(usePlayback.getState()).toMatchObject({ pinned: 800, replaying: false });
  });
});
