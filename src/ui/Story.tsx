import { SCENE_IDS, type SceneId } from '../sim/story';
import { prefersReducedMotion } from '../state/motion';
import { replay, setScene, usePlayback } from '../state/playback';
import { sceneWindowNow } from '../state/selectors';
import { SCENE_FIGURE } from '../view/scenes';
import { SCENES } from './story-text';

/** How long a scene's replay takes, whatever the speed setting: the dots visibly climb (5-10 s a window), and no reader waits long. */
const SCENE_REPLAY_MS = 7000;

/** Go to a scene: its window frames the time axes, its panel lights up, and the cursor plays through it. */
export function showScene(id: SceneId | null): void {
  setScene(id);
  if (id === null) return;
  const win = sceneWindowNow(id);
  if (!win) return;
  if (win.to > win.from) replay(win.from, win.to, SCENE_REPLAY_MS);
  const panel = document.querySelector(`[data-panel="${SCENE_FIGURE[id]}"]`);
  // On one column the narration sticks above the figure: bring the figure's top just below it.
  const oneColumn = typeof matchMedia === 'function' && matchMedia('(max-width: 1099px)').matches;
  panel?.scrollIntoView?.({ block: oneColumn ? 'start' : 'nearest', behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
}

/** The guided story: the causal chain scene by scene, from the data to the test set and the map over gamma and beta. */
export function Story() {
  const scene = usePlayback((s) => s.scene);
  const index = scene === null ? -1 : SCENE_IDS.indexOf(scene);
  const Body = scene ? SCENES[scene].body : null;
  return (
    <section className={`story${scene ? ' story-active' : ''}`} aria-labelledby="story-title">
      <h2 id="story-title">The story</h2>
      <ol className="scenes">
        {SCENE_IDS.map((id, k) => (
          <li key={id}>
            <button type="button" aria-current={id === scene ? 'step' : undefined} onClick={() => showScene(id)}>
              <span className="scene-number">{k + 1}</span> {SCENES[id].title}
            </button>
          </li>
        ))}
      </ol>
      <div className="scene-text" aria-live="polite" data-scene={scene ?? ''}>
        {Body ? (
          <>
            <h3>
              {index + 1}. {SCENES[scene!].title}
            </h3>
            <Body />
          </>
        ) : (
          <p>
            Pick a scene to walk through what the figures show, step by step; each one sets the time window, replays it, and lights up the
            figure it talks about.
          </p>
        )}
      </div>
      <div className="scene-nav">
        <button type="button" onClick={() => showScene(SCENE_IDS[Math.max(0, index - 1)])} disabled={index <= 0}>
          ← Previous
        </button>
        <button type="button" onClick={() => showScene(SCENE_IDS[Math.min(SCENE_IDS.length - 1, index + 1)])} disabled={index === SCENE_IDS.length - 1}>
          {index < 0 ? 'Start the story →' : 'Next →'}
        </button>
        {scene !== null && (
          <button type="button" onClick={() => showScene(null)}>
            Whole run
          </button>
        )}
      </div>
    </section>
  );
}
