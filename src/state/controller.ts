import { TrainingClient } from '../worker/client';
import { pageBackend, useParams } from './params';
import { applyTrainingEvent } from './training';

/**
 * Wires the parameter store to the training worker: every configuration change starts a new pair
 * of runs, and every worker event lands in the training store. The only module that owns a client.
 */
let client: TrainingClient | null = null;

export function connectTraining(): () => void {
  client = new TrainingClient(applyTrainingEvent, { backend: pageBackend });
  client.start(useParams.getState().config);
  const unsubscribe = useParams.subscribe((state, previous) => {
    if (state.config !== previous.config) client?.start(state.config);
  });
  return () => {
    unsubscribe();
    client?.dispose();
    client = null;
  };
}

export const training = {
  pause: () => client?.pause(),
  resume: () => client?.resume(),
  step: (steps: number) => client?.step(steps),
  reset: () => client?.reset(),
  setSpeed: (stepsPerSecond: number | null) => client?.setSpeed(stepsPerSecond),
};
