/**
 * Present mode (`?present=1`): the story as slides, for a speaker with no deck of their own. One
 * scene per 16:9 slide, its figure large (fitted to the slide like an embed) under the scene's
 * title; large text by default (`large=0` turns it off).
 *
 *   → / ←         next / previous scene (each one replays its time window)
 *   space         play / pause the scene's replay (again from its start when it has ended)
 *   s             speaker notes: the scene's whole text, live, in a second window (keys work there too)
 *   f             fullscreen
 */
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { SCENE_IDS, type SceneId } from '../../sim/story';
import { connectTraining } from '../../state/controller';
import { latestStep, replay, usePlayback } from '../../state/playback';
import { sceneWindowNow } from '../../state/selectors';
import { connectSweep } from '../../state/sweep-controller';
import { useTraining } from '../../state/training';
import { SCENE_FIGURE } from '../../view/scenes';
import { useFitToFrame } from '../Embed';
import { Figures } from '../Figures';
import { UpdateNotice } from '../offline';
import { togglePlay } from '../play-action';
import { toggleFullscreen } from '../presenter';
import { showScene } from '../Story';
import { SCENES } from '../story-text';
import './present.css';

function move(by: 1 | -1): void {
  const scene = usePlayback.getState().scene;
  const index = scene === null ? -1 : SCENE_IDS.indexOf(scene);
  const next = Math.max(0, Math.min(SCENE_IDS.length - 1, index + by));
  if (next !== index) showScene(SCENE_IDS[next]);
}

/** Space: pause a running replay, else play the scene's window (from its start once it has ended). */
function playScene(): void {
  const { scene, replaying, pinned } = usePlayback.getState();
  const win = scene ? sceneWindowNow(scene) : null;
  if (replaying || !win || win.to <= win.from) return togglePlay();
  const at = pinned ?? latestStep();
  replay(at >= win.to || at < win.from ? win.from : at, win.to);
}

function onKey(e: KeyboardEvent, openNotes: () => void): void {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.target instanceof Element && e.target.closest('input, select, textarea, button, a[href]') && (e.key === ' ' || e.key === 'Enter')) return;
  switch (e.key) {
    case 'ArrowRight':
    case 'PageDown':
      move(1);
      break;
    case 'ArrowLeft':
    case 'PageUp':
      move(-1);
      break;
    case ' ':
      playScene();
      break;
    case 's':
    case 'S':
      openNotes();
      break;
    case 'f':
    case 'F':
      toggleFullscreen();
      break;
    default:
      return;
  }
  e.preventDefault();
}

/** The notes window: the scene's whole text, rendered by this page (so its numbers stay live). */
function Notes({ win, scene }: { win: Window; scene: SceneId }) {
  const Body = SCENES[scene].body;
  const index = SCENE_IDS.indexOf(scene);
  return createPortal(
    <main className="present-notes" data-testid="notes" data-scene={scene}>
      <p className="present-count">
        Scene {index + 1} of {SCENE_IDS.length}
        {index + 1 < SCENE_IDS.length ? ` · next: ${SCENES[SCENE_IDS[index + 1]].title}` : ''}
      </p>
      <h1>{SCENES[scene].title}</h1>
      <Body />
    </main>,
    win.document.body,
  );
}

export function Present() {
  useEffect(() => connectTraining({ eagerDetail: true }), []);
  useEffect(() => connectSweep(), []);
  const scene = usePlayback((s) => s.scene);
  const status = useTraining((s) => s.status);
  const runId = useTraining((s) => s.runId);
  const [notes, setNotes] = useState<Window | null>(null);
  const frame = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  useFitToFrame(frame, content);

  // the first scene once the numbers are there
  useEffect(() => {
    if (usePlayback.getState().scene === null && status === 'done') showScene(SCENE_IDS[0]);
  }, [status]);

  useEffect(() => {
    const openNotes = () => {
      if (notes && !notes.closed) return notes.focus();
      const win = window.open('', 'momentum-notes', 'width=720,height=640');
      if (!win) return;
      win.document.title = 'Speaker notes: Why momentum generalizes';
      // the page's style sheets, so the notes look like the page (KaTeX included)
      for (const sheet of document.querySelectorAll('link[rel=stylesheet], style')) win.document.head.appendChild(sheet.cloneNode(true));
      win.document.documentElement.dataset.theme = document.documentElement.dataset.theme ?? '';
      setNotes(win);
    };
    const handler = (e: KeyboardEvent) => onKey(e, openNotes);
    window.addEventListener('keydown', handler);
    notes?.addEventListener('keydown', handler);
    return () => {
      window.removeEventListener('keydown', handler);
      notes?.removeEventListener('keydown', handler);
    };
  }, [notes]);
  useEffect(() => {
    const close = () => notes?.close();
    window.addEventListener('pagehide', close);
    return () => window.removeEventListener('pagehide', close);
  }, [notes]);

  const index = scene === null ? -1 : SCENE_IDS.indexOf(scene);
  return (
    <div className="present" data-testid="runs" data-run-id={runId ?? ''}>
      <span data-testid="status" data-value={status} className="visually-hidden">
        {status}
      </span>
      <UpdateNotice />
      <section className="present-slide" aria-roledescription="slide" aria-label={scene ? SCENES[scene].title : 'Loading'} data-scene={scene ?? ''}>
        <header className="present-head">
          <h1>{scene ? SCENES[scene].title : 'Why momentum generalizes'}</h1>
          <span className="present-count">
            {index + 1} / {SCENE_IDS.length}
          </span>
        </header>
        <div ref={frame} className="present-figure">
          <div ref={content} className="embed-content">
            {scene ? <Figures only={[SCENE_FIGURE[scene]]} /> : <p className="note">Waiting for the first numbers…</p>}
          </div>
        </div>
        <p className="present-keys">→ / ← scenes · space replay · s speaker notes · f fullscreen</p>
      </section>
      {notes && !notes.closed && scene && <Notes win={notes} scene={scene} />}
    </div>
  );
}
