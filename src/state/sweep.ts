import { create } from 'zustand';
import type { Config } from '../sim/params';
import { type SweepGrid, type SweepTrace, appendSweepRows } from '../sim/sweep';

/** A phase map as the phase panel draws it: computed, being computed, or waiting. */
export interface SweepView {
  /** Null until anything is known; partial (fewer logged steps) while computing. */
  trace: SweepTrace | null;
  status: 'waiting' | 'running' | 'paused' | 'done' | 'error';
  /** Steps every cell has taken, of T. */
  t: number;
  T: number;
  source: 'precomputed' | 'live';
  /** How it was computed: backend (and for a precomputed map, where). */
  engine: string | null;
  /** Wall time of the computation (ms), once done. */
  wallMs: number | null;
  runStepsPerSecond: number | null;
  error: string | null;
}

/** The phase map the page shows: which parameters it belongs to, and how far it is. */
export interface SweepState extends SweepView {
  /** sweepKey of the parameters it belongs to; null before any. */
  key: string | null;
  /** performance.now() when a live sweep started training (for its wall time). */
  startedAt: number | null;
}

export type SweepEvent =
  | { type: 'precomputed'; key: string; trace: SweepTrace; engine: string; wallMs: number }
  /** A live sweep is wanted for these parameters; it starts when the live runs leave the CPU. */
  | { type: 'queued'; key: string; base: Config; grid: SweepGrid }
  | { type: 'started'; backend: string; at: number }
  | { type: 'paused' }
  | { type: 'resumed' }
  | { type: 'progress'; t: number; T: number; done: boolean; ts: number[]; rows: Float32Array; runStepsPerSecond: number | null; at: number }
  | { type: 'error'; message: string };

export const initialSweep: SweepState = {
  key: null,
  trace: null,
  status: 'waiting',
  t: 0,
  T: 0,
  source: 'live',
  engine: null,
  wallMs: null,
  runStepsPerSecond: null,
  error: null,
  startedAt: null,
};

/** The state after one event: pure, tested on its own. */
export function reduceSweep(state: SweepState, event: SweepEvent): SweepState {
  switch (event.type) {
    case 'precomputed':
      return {
        ...initialSweep,
        key: event.key,
        trace: event.trace,
        status: 'done',
        t: event.trace.base.T,
        T: event.trace.base.T,
        source: 'precomputed',
        engine: event.engine,
        wallMs: event.wallMs,
      };
    case 'queued':
      return { ...initialSweep, key: event.key, trace: { grid: event.grid, base: event.base, ts: [], rows: new Float32Array(0) }, T: event.base.T };
    case 'started':
      // Only a live sweep that waits for its start (never over a precomputed or finished map).
      return state.source === 'live' && state.status === 'waiting' ? { ...state, status: 'running', engine: event.backend, startedAt: event.at } : state;
    case 'paused':
      return state.status === 'running' ? { ...state, status: 'paused' } : state;
    case 'resumed':
      return state.status === 'paused' ? { ...state, status: 'running' } : state;
    case 'progress': {
      if (!state.trace || state.source !== 'live' || state.status === 'done' || state.status === 'error') return state;
      return {
        ...state,
        trace: event.ts.length ? appendSweepRows(state.trace, event.ts, event.rows) : state.trace,
        t: event.t,
        T: event.T,
        status: event.done ? 'done' : state.status === 'paused' ? 'paused' : 'running',
        runStepsPerSecond: event.runStepsPerSecond,
        wallMs: event.done && state.startedAt !== null ? event.at - state.startedAt : state.wallMs,
      };
    }
    case 'error':
      return { ...state, status: 'error', error: event.message };
  }
}

export const useSweep = create<SweepState>(() => initialSweep);

export function dispatchSweep(event: SweepEvent): void {
  useSweep.setState((state) => reduceSweep(state, event), true);
}
