import { useEffect, useRef } from 'react';
import { type NumericParamSpec, paramSpec } from '../sim/params';
import { connectTraining } from '../state/controller';
import { connectSweep } from '../state/sweep-controller';
import { replay, usePlayback } from '../state/playback';
import { useTraining } from '../state/training';
import type { EmbedParams } from './embed-params';
import { FIGURES, FIGURE_IDS } from '../view/figures';
import './embed.css';
import { Figures } from './Figures';
import { NumericControl } from './ParamControls';
import { playAction } from './play-action';
import { LargeTextToggle, usePresenterKeys } from './presenter';
import { UrlNotes } from './UrlNotes';
import { sceneWindowNow, useLatestStep, useShownStep } from '../state/selectors';

/** Where an autoplayed replay goes: the scene's window when the link names a scene, else the whole run. */
function replayWindow(): { from: number; to: number | null } {
  const win = sceneWindowNow();
  return win && win.to > win.from ? { from: win.from, to: win.to } : { from: 0, to: null };
}

/** Pause between the end of a looped replay and the next. */
const LOOP_PAUSE_MS = 1200;

/**
 * `autoplay`: once the run is computed, replay it (or the scene's window) once; `loop`: again each
 * time a replay reaches its end. A replay the reader paused stays paused.
 */
function useAutoplay(autoplay: boolean, loop: boolean): void {
  const status = useTraining((s) => s.status);
  const runId = useTraining((s) => s.runId);
  const replaying = usePlayback((s) => s.replaying);
  const played = useRef<unknown>(null);
  useEffect(() => {
    if (!autoplay || status !== 'done' || played.current === runId) return;
    played.current = runId;
    const { from, to } = replayWindow();
    replay(from, to);
  }, [autoplay, status, runId]);
  useEffect(() => {
    if (!autoplay || !loop || replaying || status !== 'done' || played.current !== runId) return;
    const { pinned } = usePlayback.getState();
    const { to } = replayWindow();
    // at the end: live again (whole run) or pinned at the window's end (scene)
    const atEnd = to === null ? pinned === null : pinned !== null && pinned >= to;
    if (!atEnd) return;
    const timer = setTimeout(() => {
      const next = replayWindow();
      replay(next.from, next.to);
    }, LOOP_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [autoplay, loop, replaying, status, runId]);
}

/** The embed's compact bar: play/pause, the shown step, the sliders the link asked for. */
function EmbedBar({ params }: { params: EmbedParams }) {
  const status = useTraining((s) => s.status);
  const pinned = usePlayback((s) => s.pinned);
  const replaying = usePlayback((s) => s.replaying);
  const latest = useLatestStep();
  const shown = Math.round(useShownStep());
  const play = playAction(status, pinned, replaying, latest);
  return (
    <div className="embed-bar" role="group" aria-label="Controls">
      <button type="button" onClick={play.act} disabled={play.disabled}>
        {play.label}
      </button>
      <span className="embed-step">
        <span data-testid="shown-t" data-value={shown}>
          t = {shown}
        </span>{' '}
        <span data-testid="status" data-value={status} className="visually-hidden">
          {status}
        </span>
      </span>
      {params.controls.length > 0 && (
        <form className="embed-controls" onSubmit={(e) => e.preventDefault()} aria-label="Parameters">
          {params.controls.map((key) => (
            <NumericControl key={key} spec={paramSpec(key) as NumericParamSpec} />
          ))}
        </form>
      )}
      <LargeTextToggle />
      {params.notes.length > 0 && (
        <p className="note embed-notes" role="status">
          {params.notes.join('; ')}
        </p>
      )}
    </div>
  );
}

/** A link to the whole page, from inside the embed. */
function fullPageHref(): string {
  const url = new URL(location.href);
  for (const key of ['panel', 'controls', 'autoplay', 'loop']) url.searchParams.delete(key);
  return url.toString();
}

/** One figure alone, filling its frame: `?panel=race` (see embed-params.ts for every key). */
export function Embed({ params }: { params: EmbedParams }) {
  const root = useRef<HTMLDivElement>(null);
  const valid = params.panel !== null;
  useEffect(() => (valid ? connectTraining() : undefined), [valid]);
  // Only the figures of the map need it (its sweep is the heaviest work this page can do).
  useEffect(() => (params.panel && FIGURES[params.panel].data === 'map' ? connectSweep() : undefined), [params.panel]);
  useAutoplay(params.autoplay, params.loop);
  usePresenterKeys('embed', root);
  const runId = useTraining((s) => s.runId);
  const error = useTraining((s) => s.error);

  if (params.panel === null) {
    return (
      <div className="embed embed-unknown" role="alert">
        <p>
          <strong>No figure called “{params.asked}”.</strong> This embed can show one of: {FIGURE_IDS.join(', ')} (for example{' '}
          <code>?panel=race</code>).
        </p>
        <p>
          <a href={fullPageHref()} target="_top">
            Open the whole page
          </a>
        </p>
      </div>
    );
  }
  return (
    <div ref={root} className="embed" data-embed-panel={params.panel} data-testid="runs" data-run-id={runId ?? ''}>
      <UrlNotes />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="embed-figure">
        <Figures only={[params.panel]} />
      </div>
      <EmbedBar params={params} />
    </div>
  );
}
