import { training } from '../state/controller';
import { latestStep, pauseReplay, replay, usePlayback } from '../state/playback';
import { type TrainingState, useTraining } from '../state/training';

export interface PlayAction {
  label: 'Pause' | 'Play' | 'Replay' | 'Resume';
  act: () => void;
  disabled?: boolean;
}

/**
 * What play/pause does now, like a video player's one button: pause whatever moves (a replay, the
 * training), else play from the cursor, else replay a finished run, else resume training. The
 * player's button and the space bar both use it.
 */
export function playAction(status: TrainingState['status'], pinned: number | null, replaying: boolean, latest: number): PlayAction {
  const training_ = status === 'running' || status === 'starting';
  const behind = pinned !== null && pinned < latest;
  if (replaying) return { label: 'Pause', act: pauseReplay };
  if (behind) return { label: 'Play', act: () => replay(pinned) };
  if (training_) return { label: 'Pause', act: training.pause };
  if (status === 'done') return { label: 'Replay', act: () => replay(0) };
  return { label: 'Resume', act: training.resume, disabled: status === 'error' };
}

/** Press play/pause from the stores' current state (the space bar). */
export function togglePlay(): void {
  const { pinned, replaying } = usePlayback.getState();
  const action = playAction(useTraining.getState().status, pinned, replaying, latestStep());
  if (!action.disabled) action.act();
}
