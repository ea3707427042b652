import { create } from 'zustand';
import type { RunDivergence } from '../sim/divergence';
import type { ExampleView } from '../sim/examples';
import type { Config } from '../sim/params';
import type { PrecomputedRun } from '../sim/precomputed';
import { type RunName, isRunName } from '../sim/runs';
import type { RunTrace } from '../sim/trace';
import type { SeedSummary } from '../sim/seeds';
import type { ClientEvent } from '../worker/client';
import type { BackendInfo, RunId } from '../worker/protocol';
import { appendTrace, emptyTrace } from './traces';

export type TrainingStatus = 'starting' | 'running' | 'paused' | 'done' | 'error';

/** The run id of the precomputed run: below every live run's (the client numbers them from 1). */
export const PRECOMPUTED_RUN_ID = 0;

/** What the store receives: the training client's events, plus the precomputed run shipped with the page. */
export type TrainingEvent = ClientEvent | { type: 'precomputed'; run: PrecomputedRun };

/** Where the shown run comes from: trained live in this page, or computed at build time. */
export interface PrecomputedSource {
  /** The tfjs backend that computed it in Node. */
  backend: string;
  tfjs: string;
  runtime: string;
  date: string;
}

export interface TrainingState {
  backend: BackendInfo | null;
  runId: RunId | null;
  config: Config | null;
  /** The runs of the shown lineup, in order. */
  runNames: RunName[];
  /** Small-margin flags of the training examples. */
  small: Uint8Array;
  /** A large- and a small-margin training example, for the data panel. */
  examples: ExampleView[];
  /** Runs replayed from an earlier configuration instead of recomputed. */
  reused: RunName[];
  status: TrainingStatus;
  /** Steps taken so far. */
  t: number;
  stepsPerSecond: number | null;
  traces: Partial<Record<RunName, RunTrace>>;
  /**
   * Per run frozen by the worker where it diverged: where and why, with a learning rate to try.
   * Where any run diverged, frozen or not, is derived (state/selectors.ts divergedAtOf).
   */
  diverged: Partial<Record<RunName, RunDivergence>>;
  error: string | null;
  /** The last thing that went wrong and was recovered from (a lost GPU, a restarted worker), in words. */
  incident: string | null;
  /** Set while the shown run is the precomputed one; null for live runs. */
  precomputed: PrecomputedSource | null;
  /**
   * The seeds summarized so far for this run id (config.seeds in all, focus seed first when done),
   * ascending by seed: the focus seed's once it is done, then each background seed as it finishes.
   */
  seeds: SeedSummary[];
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
  diverged: {},
  error: null,
  incident: null,
  precomputed: null,
  seeds: [],
};

/** The known runs of a list from the worker or a file, in its order (anything else is dropped). */
const known = (names: readonly string[]): RunName[] => names.filter(isRunName);

/** Only the known runs of a record keyed by run name. */
function knownRuns<T>(record: Readonly<Record<string, T>> | undefined): Partial<Record<RunName, T>> {
  return Object.fromEntries(Object.entries(record ?? {}).filter(([name]) => isRunName(name))) as Partial<Record<RunName, T>>;
}

/** The state after one event from the training client: a pure function, tested on its own. */
export function reduceTraining(state: TrainingState, event: TrainingEvent): TrainingState {
  switch (event.type) {
    case 'precomputed': {
      // Only before any live run: a live run, once started, is never replaced by it.
      if (state.runId !== null && state.runId !== PRECOMPUTED_RUN_ID) return state;
      const { header, small, examples, traces } = event.run;
      return {
        ...state,
        runId: PRECOMPUTED_RUN_ID,
        config: header.config,
        runNames: known(header.runs),
        small,
        examples,
        reused: [],
        status: 'done',
        t: header.ts.at(-1) ?? 0,
        stepsPerSecond: null,
        traces: knownRuns(traces),
        diverged: {},
        error: null,
        precomputed: { ...header.engine, date: header.date },
        // The full rows replace the first view's: the seeds already read stay.
        seeds: state.runId === PRECOMPUTED_RUN_ID ? state.seeds : [],
      };
    }
    case 'ready':
    case 'backend':
      return { ...state, backend: event.backend, incident: event.backend.incident ?? state.incident };
    case 'restarted':
      return { ...state, incident: event.message };
    case 'started':
      return {
        ...state,
        runId: event.runId,
        config: event.config,
        runNames: known(event.runs),
        small: event.small,
        examples: event.examples,
        reused: known(event.reused),
        status: 'starting',
        t: 0,
        traces: Object.fromEntries(known(event.runs).map((name) => [name, emptyTrace()])),
        diverged: {},
        error: null,
        precomputed: null,
        seeds: [],
      };
    case 'snapshot': {
      if (event.runId !== state.runId) return state;
      const traces = { ...state.traces };
      for (const [name, more] of Object.entries(knownRuns(event.traces)) as [RunName, RunTrace][]) traces[name] = appendTrace(traces[name] ?? emptyTrace(), more);
      return {
        ...state,
        t: event.t,
        status: event.done ? 'done' : event.paused ? 'paused' : 'running',
        stepsPerSecond: event.stepsPerSecond ?? state.stepsPerSecond,
        traces,
        diverged: event.diverged ? knownRuns(event.diverged) : state.diverged,
      };
    }
    case 'seed': {
      if (event.runId !== state.runId || !state.config) return state;
      const summary: SeedSummary = { seed: event.seed, ts: event.ts, summary: knownRuns(event.summary) };
      const seeds = [...state.seeds.filter((s) => s.seed !== event.seed), summary].sort((a, b) => a.seed - b.seed);
      return { ...state, seeds };
    }
    case 'error':
      return { ...state, status: 'error', error: event.message };
  }
}

export const useTraining = create<TrainingState>(() => initialTraining);
