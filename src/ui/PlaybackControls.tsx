import { training } from '../state/controller';
import { useTraining } from '../state/training';

/** Pause, resume, step and reset the current pair of runs. */
export function PlaybackControls() {
  const status = useTraining((s) => s.status);
  const t = useTraining((s) => s.t);
  const T = useTraining((s) => s.config?.T);
  const running = status === 'running' || status === 'starting';
  const finished = status === 'done';
  return (
    <div className="playback" role="group" aria-label="Training">
      <button type="button" onClick={running ? training.pause : training.resume} disabled={finished || status === 'error'}>
        {running ? 'Pause' : 'Resume'}
      </button>
      <button type="button" onClick={() => training.step(10)} disabled={finished || status === 'error'}>
        Step 10
      </button>
      <button type="button" onClick={training.reset}>
        Reset
      </button>
      <span className="status">
        step{' '}
        <span data-testid="t" data-value={t}>
          {t}
        </span>{' '}
        of {T ?? '–'} ·{' '}
        <span data-testid="status" data-value={status}>
          {status}
        </span>
      </span>
    </div>
  );
}
