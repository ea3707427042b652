import { useId } from 'react';
import { training } from '../state/controller';
import { goLive, scrubTo, setSpeed, usePlayback } from '../state/playback';
import { useTraining } from '../state/training';
import { playAction } from './play-action';
import { useLatestStep, useShownStep } from '../state/selectors';

/** Steps per second; null: as fast as the backend trains. */
const SPEEDS: { value: number | null; label: string }[] = [
  { value: null, label: 'fastest' },
  { value: 600, label: '600 steps/s' },
  { value: 200, label: '200 steps/s' },
  { value: 50, label: '50 steps/s' },
];

/**
 * One player for training and viewing, like a video player: training fills the buffer (the
 * computed steps), the cursor shows one step of it. Play/pause acts on whichever is moving.
 */
export function PlaybackControls() {
  const status = useTraining((s) => s.status);
  const t = useTraining((s) => s.t);
  const T = useTraining((s) => s.config?.T);
  const precomputed = useTraining((s) => s.precomputed);
  const pinned = usePlayback((s) => s.pinned);
  const replaying = usePlayback((s) => s.replaying);
  const speed = usePlayback((s) => s.speed);
  const latest = useLatestStep();
  const shown = useShownStep();
  const speedId = useId();
  const scrubId = useId();

  const play = playAction(status, pinned, replaying, latest);

  const changeSpeed = (value: string) => {
    const stepsPerSecond = value === '' ? null : Number(value);
    setSpeed(stepsPerSecond);
    training.setSpeed(stepsPerSecond);
  };

  return (
    <div className="playback" role="group" aria-label="Playback">
      <div className="playback-buttons">
        <button type="button" className="primary" onClick={play.act} disabled={play.disabled}>
          {play.label}
        </button>
        <button type="button" onClick={() => training.step(10)} disabled={status !== 'paused'} title="Train 10 more steps (pause first)">
          Step 10
        </button>
        <button type="button" onClick={training.reset} title="Train again from step 0 (same data, same initialization)">
          Reset
        </button>
        <label htmlFor={speedId} className="speed">
          Speed{' '}
          <select id={speedId} value={speed ?? ''} onChange={(e) => changeSpeed(e.target.value)}>
            {SPEEDS.map((s) => (
              <option key={s.label} value={s.value ?? ''}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="scrubber">
        <label htmlFor={scrubId}>Shown step</label>
        <input
          id={scrubId}
          type="range"
          min={0}
          max={latest}
          step={1}
          value={Math.round(shown)}
          aria-valuetext={`step ${Math.round(shown)} of ${latest} trained so far`}
          onChange={(e) => scrubTo(Number(e.target.value))}
        />
        <span className="status">
          <span data-testid="shown-t" data-value={Math.round(shown)}>
            t = {Math.round(shown)}
          </span>{' '}
          · trained{' '}
          <span data-testid="t" data-value={t}>
            {t}
          </span>{' '}
          of {T ?? '–'} ·{' '}
          <span data-testid="status" data-value={status}>
            {status}
          </span>
        </span>
        <button type="button" onClick={goLive} disabled={pinned === null} title="Follow the latest trained step">
          Live
        </button>
      </div>
      <p className="source" data-testid="source" data-value={precomputed ? 'precomputed' : 'live'}>
        {precomputed ? (
          <>
            Showing the precomputed run (computed at build time by the same engine: TensorFlow.js {precomputed.tfjs} on {precomputed.backend}{' '}
            in Node); change anything to train live.
          </>
        ) : (
          <>Trained live in this page.</>
        )}
      </p>
    </div>
  );
}
