import { create } from 'zustand';
import type { SceneId } from '../sim/story';
import { prefersReducedMotion } from './motion';
import { pageView } from './params';
import { type TrainingState, useTraining } from './training';

/**
 * What the figures show, as opposed to what has been computed: the time cursor, the time window and
 * the story scene. Like a video player: training fills the buffer ahead, the cursor plays through it.
 */
export interface PlaybackState {
  /**
   * The step the panels show; null: follow the latest computed step ("live"). It may be ahead of
   * what is computed (a shared link to t = 900 while the run is at 300): panels show the latest
   * step up to it.
   */
  pinned: number | null;
  /** The story scene being shown; its time window frames the time-series panels. */
  scene: SceneId | null;
  /** The cursor is playing forward through computed steps. */
  replaying: boolean;
  /** Steps per second for training and for replays; null: as fast as the backend goes. */
  speed: number | null;
}

export const usePlayback = create<PlaybackState>(() => ({ pinned: pageView.t, scene: pageView.scene, replaying: false, speed: null }));

/** Replays at "as fast as possible" still need a pace a reader can follow. */
const FASTEST_REPLAY = 600;

/**
 * The latest step with numbers in every run still training (the end of the "buffer"). A run frozen
 * where it diverged does not hold the others back: the figures show it stopped at its last row.
 */
export function latestOf(traces: TrainingState['traces'], diverged: TrainingState['diverged'] = {}): number {
  const all = Object.entries(traces).map(([name, tr]) => ({ end: tr.rows.at(-1)?.t ?? 0, frozen: name in diverged }));
  const going = all.filter((r) => !r.frozen);
  if (!going.length) return all.length ? Math.max(...all.map((r) => r.end)) : 0;
  return Math.min(...going.map((r) => r.end));
}

export function latestStep(): number {
  const { traces, diverged } = useTraining.getState();
  return latestOf(traces, diverged);
}

let frame: number | null = null;

function stopFrames(): void {
  if (frame !== null) cancelAnimationFrame(frame);
  frame = null;
}

/** Show step t; stops a replay. At or past the latest computed step the view goes live again, like a player's live edge. */
export function scrubTo(t: number): void {
  stopFrames();
  const pinned = t >= latestStep() ? null : Math.max(0, Math.round(t));
  usePlayback.setState({ pinned, replaying: false });
}

/** Follow the latest computed step again. */
export function goLive(): void {
  stopFrames();
  usePlayback.setState({ pinned: null, replaying: false });
}

/**
 * Play the cursor from `from` to `to` (default: the end of what is computed, then live) at the
 * current speed, or within `durationMs` when given (a story scene takes the same few seconds
 * whether its window is 90 steps or 1500). Under prefers-reduced-motion it jumps to the end.
 */
export function replay(from: number, to: number | null = null, durationMs: number | null = null): void {
  stopFrames();
  if (prefersReducedMotion()) {
    if (to === null) goLive();
    else scrubTo(to);
    return;
  }
  const pace =
    durationMs !== null && to !== null
      ? Math.max(1, ((to - from) * 1000) / durationMs)
      : Math.min(usePlayback.getState().speed ?? FASTEST_REPLAY, FASTEST_REPLAY);
  let cursor = Math.max(0, from);
  let last = performance.now();
  usePlayback.setState({ pinned: cursor, replaying: true });
  const tick = (now: number) => {
    cursor += (pace * (now - last)) / 1000;
    last = now;
    const end = latestStep();
    const target = to ?? Infinity;
    const finished = useTraining.getState().status === 'done';
    if (cursor >= target) return scrubTo(target);
    if (cursor >= end && (finished || to === null)) return to === null ? goLive() : scrubTo(end);
    usePlayback.setState({ pinned: Math.min(cursor, end) });
    frame = requestAnimationFrame(tick);
  };
  frame = requestAnimationFrame(tick);
}

/** Stop a replay where it is. */
export function pauseReplay(): void {
  stopFrames();
  usePlayback.setState({ replaying: false });
}

export function setScene(scene: SceneId | null): void {
  usePlayback.setState({ scene });
}

export function setSpeed(speed: number | null): void {
  usePlayback.setState({ speed });
}

