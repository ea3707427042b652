/**
 * Test hooks on window.__momentumDebug, present only when the page is opened with ?debug=1: the
 * browser tests read memory and force failures through it. Each part of the page adds its own
 * methods to the one object; without ?debug=1 there is no object at all.
 */
import type { WorkerMemory } from '../worker/protocol';
import { traceStride } from './traces';
import { useTraining } from './training';

export interface MomentumDebug {
  /** What the worker and the page's trace store hold now. */
  memory?: () => Promise<PageMemory>;
  [hook: string]: unknown;
}

export interface PageMemory {
  /** null before the worker is started (the precomputed run is shown). */
  worker: WorkerMemory | null;
  /** Per run: rows kept in the page's trace store and the spacing of its older rows in steps. */
  traces: Record<string, { rows: number; stride: number; detailFloats: number }>;
}

export function debugHooks(): MomentumDebug | null {
  if (typeof window === 'undefined' || new URLSearchParams(window.location.search).get('debug') !== '1') return null;
  const scope = window as unknown as { __momentumDebug?: MomentumDebug };
  return (scope.__momentumDebug ??= {});
}

/** The page's side of `memory()`: the trace store's size, and the worker's answer when there is one. */
export async function pageMemory(worker: Promise<WorkerMemory> | null): Promise<PageMemory> {
  const traces = Object.fromEntries(
    Object.entries(useTraining.getState().traces).map(([name, trace]) => [
      name,
      { rows: trace.rows.length, stride: traceStride(trace), detailFloats: Object.values(trace.detail).reduce((n, a) => n + a.length, 0) },
    ]),
  );
  return { worker: worker ? await worker : null, traces };
}
