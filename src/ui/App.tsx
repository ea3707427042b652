import { useEffect } from 'react';
import { connectTraining } from '../state/controller';
import { useTraining } from '../state/training';
import { Figures } from './Figures';
import { ParamControls } from './ParamControls';
import { PlaybackControls } from './PlaybackControls';
import { RunSummary } from './RunSummary';
import { StatusChip } from './StatusChip';
import { UrlNotes } from './UrlNotes';

export function App() {
  useEffect(() => connectTraining(), []);
  const error = useTraining((s) => s.error);
  const runId = useTraining((s) => s.runId);
  return (
    <main>
      <header>
        <h1>Why momentum generalizes</h1>
        <p className="lede">
          Two copies of one network train side by side on the same data from the same start: plain gradient descent (GD) and
          gradient descent with momentum (GD+M). Both fit the training set; only one learns the shared feature. After Jelassi
          &amp; Li, ICML 2022.
        </p>
        <StatusChip />
      </header>
      <UrlNotes />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <PlaybackControls />
      <div className="runs" data-testid="runs" data-run-id={runId ?? ''}>
        <RunSummary name="gd" />
        <RunSummary name="gdm" />
      </div>
      <Figures />
      <ParamControls />
    </main>
  );
}
