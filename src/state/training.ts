import { create } from 'zustand';
import type { ExampleView } from '../sim/examples';
import type { Config } from '../sim/params';
import { type RunTrace, divergence } from '../sim/trace';
import type { ClientEvent } from '../worker/client';
import type { BackendInfo, RunId } from '../worker/protocol';
import { appendTrace, emptyTrace } from './traces';

export type TrainingStatus = 'starting' | 'running' | 'paused' | 'done' | 'error';

export interface TrainingState {
  backend: BackendInfo | null;
  runId: RunId | null;
  config: Config | null;
  runNames: string[];
  /** Small-margin flags of the training examples. */
  small: Uint8Array;
  /** A large- and a small-margin training example, for the data panel. */
  examples: ExampleView[];
  /** Runs replayed from an earlier configuration instead of recomputed. */
  reused: string[];
  status: TrainingStatus;
  /** Steps taken so far. */
  t: number;
  stepsPerSecond: number | null;
  traces: Record<string, RunTrace>;
  /** Per run: the logged step where its numbers stopped being finite. */
  divergedAt: Record<string, number | null>;
  error: string | null;
}

export const initialTraining: TrainingState = {
  backend: null,
  runId: null,
  config: null,
  runNames: [],
  small: new Uint8Array(0),
  examples: [],
  reused: [],
  status: 'starting',
  t: 0,
  stepsPerSecond: null,
  traces: {},
  divergedAt: {},
  error: null,
};

/** The state after one event from the training client: a pure function, tested on its own. */
export function reduceTraining(state: TrainingState, event: ClientEvent): TrainingState {
  switch (event.type) {
    case 'ready':
    case 'backend':
      return { ...state, backend: event.backend };
    case 'started':
      return {
        ...state,
        runId: event.runId,
        config: event.config,
        runNames: event.runs,
        small: event.small,
        examples: event.examples,
        reused: event.reused,
        status: 'starting',
        t: 0,
        traces: Object.fromEntries(event.runs.map((name) => [name, emptyTrace()])),
        divergedAt: {},
        error: null,
      };
    case 'snapshot': {
      if (event.runId !== state.runId) return state;
      const traces = { ...state.traces };
      for (const [name, more] of Object.entries(event.traces)) traces[name] = appendTrace(traces[name] ?? emptyTrace(), more);
      return {
        ...state,
        t: event.t,
        status: event.done ? 'done' : event.paused ? 'paused' : 'running',
        stepsPerSecond: event.stepsPerSecond ?? state.stepsPerSecond,
        traces,
        divergedAt: Object.fromEntries(Object.entries(traces).map(([name, tr]) => [name, divergence(tr.rows)])),
      };
    }
    case 'error':
      return { ...state, status: 'error', error: event.message };
  }
}

export const useTraining = create<TrainingState>(() => initialTraining);
