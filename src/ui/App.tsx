import { useEffect } from 'react';
import { SCENE_FIGURE } from '../view/scenes';
import { connectTraining } from '../state/controller';
import { connectSweep } from '../state/sweep-controller';
import { usePlayback } from '../state/playback';
import { useTraining } from '../state/training';
import { About } from './About';
import { PanelToolsContext } from '../view/panel-tools';
import { Figures } from './Figures';
import { KeyControls } from './KeyControls';
import { renderPanelTools } from './PanelTools';
import { ParamControls } from './ParamControls';
import { PlaybackControls } from './PlaybackControls';
import { LargeTextToggle, usePresenterKeys } from './presenter';
import { RunSummary } from './RunSummary';
import { StatusChip } from './StatusChip';
import { Story } from './Story';
import { ThemeToggle } from './ThemeToggle';
import { UrlNotes } from './UrlNotes';
import { UpdateNotice } from './offline';
import { Verdict } from './Verdict';
import { WhatIfMenu } from './WhatIfMenu';
import { PAIR } from '../sim/runs';

export function App() {
  useEffect(() => connectTraining(), []);
  useEffect(() => connectSweep(), []);
  usePresenterKeys('page');
  const error = useTraining((s) => s.error);
  const runId = useTraining((s) => s.runId);
  const scene = usePlayback((s) => s.scene);
  const runNames = useTraining((s) => (s.runNames.length ? s.runNames : PAIR));
  return (
    <main>
      {/* The title and lede are static HTML above this (index.html): the first paint, before any script. */}
      <div className="header-tools">
        <StatusChip />
        <ThemeToggle />
        <LargeTextToggle />
        <a href="#about-title">What this simulates</a>
      </div>
      <UpdateNotice />
      <UrlNotes />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <KeyControls />
      <WhatIfMenu />
      <Verdict />
      <PlaybackControls />
      <div className="article">
        <Story />
        <PanelToolsContext.Provider value={renderPanelTools}>
          <Figures highlight={scene ? SCENE_FIGURE[scene] : null} />
        </PanelToolsContext.Provider>
      </div>
      <section aria-label="Numbers" className="runs" data-testid="runs" data-run-id={runId ?? ''}>
        {runNames.map((name) => (
          <RunSummary key={name} name={name} />
        ))}
      </section>
      <details className="advanced">
        <summary>All parameters of the setting</summary>
        <ParamControls exclude={['gamma', 'beta']} />
      </details>
      <About />
    </main>
  );
}
