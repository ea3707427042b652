/// <reference lib="webworker" />
/**
 * The training worker: picks a tfjs backend, then hands every message to a TrainingSession.
 * Every failure, synchronous or not, goes back to the page as an 'error' message.
 */
import * as tf from '@tensorflow/tfjs-core';
import './tfjs-setup';
import { activateBackend } from '../engine/backend';
import type { BackendName } from '../engine/backend-names';
import type { Config } from '../sim/params';
import { type Candidate, type WebglProbe, backendCandidates, probeWebgl } from './backend-choice';
import { fasterBackend, measurePairRate, sizeKey } from './backend-measure';
import type { BackendInfo, DebugAction, FromWorker, ToWorker } from './protocol';
import { TrainingSession } from './session';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: FromWorker, transfer: Transferable[] = []) => scope.postMessage(message, transfer);
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

let candidates: Candidate[] = [];
let current: BackendInfo | null = null;
/** Set when an off-thread probe found a better backend: taken up at the next start. */
let better: { candidates: Candidate[]; probe: WebglProbe } | null = null;

const NOT_PROBED: WebglProbe = { webgl2: false, float32: false, renderer: null };

/** Start the first candidate that works, from position `from` in the chain. */
async function startBackend(from: number, probe: WebglProbe, pending?: string): Promise<BackendInfo> {
  for (const candidate of candidates.slice(from)) {
    if (!(await activateBackend(candidate.name))) continue;
    // tfjs's own check: if it would render to float16, this is not a backend for small gradients.
    if (candidate.name === 'webgl' && !tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED')) continue;
    return {
      name: candidate.name,
      renderer: probe.renderer,
      float32: probe.webgl2 ? probe.float32 : null,
      reason: pending ?? candidate.reason,
    };
  }
  throw new Error('no tfjs backend could start (webgl, wasm and cpu all failed)');
}

/** The WebGL probe on a thread of its own; in place where a worker cannot start workers. */
function probeOffThread(): Promise<WebglProbe> {
  if (typeof Worker === 'undefined') return Promise.resolve(probeWebgl());
  return new Promise((resolve) => {
    const probe = new Worker(new URL('./webgl-probe.worker.ts', import.meta.url), { type: 'module' });
    const finish = (result: WebglProbe) => {
      probe.terminate();
      resolve(result);
    };
    probe.onmessage = (event: MessageEvent<WebglProbe>) => finish(event.data);
    probe.onerror = () => finish(NOT_PROBED);
  });
}

/** tfjs's WebGL context, once its webgl backend has started. */
function webglContext(): WebGL2RenderingContext | null {
  try {
    const backend = tf.findBackend('webgl') as unknown as { gpgpu?: { gl?: WebGL2RenderingContext } } | null;
    return backend?.gpgpu?.gl ?? null;
  } catch {
    return null;
  }
}

const session = new TrainingSession({
  post,
  async recover(error) {
    // A lost GPU (or any backend failure) moves the session down the chain and restarts the run.
    const at = candidates.findIndex((c) => c.name === current?.name);
    if (at < 0 || at === candidates.length - 1) return false;
    const failed = current!.name;
    // A GPU that failed once is not measured or tried again in this session.
    if (failed === 'webgl') better = null;
    current = await startBackend(at + 1, NOT_PROBED);
    const incident = `${failed}: ${describe(error)}; switched to ${current.name} and restarted the run from its seed`;
    current = { ...current, reason: `${failed} failed mid-run`, incident };
    post({ type: 'backend', backend: current });
    return true;
  },
  // After loseContext (or a GPU reset) tfjs's reads return zeros without an error: ask the context.
  lost: () => (current?.name === 'webgl' && webglContext()?.isContextLost() ? 'the WebGL context was lost' : null),
});

/** Failures on demand, for the browser tests (the page sends these only when opened with ?debug=1). */
function debug(action: DebugAction): void {
  if (action === 'throw') throw new Error('a test error thrown in the training worker');
  if (action === 'crash') scope.close(); // silent, like a worker killed for memory: only the heartbeat notices
  else webglContext()?.getExtension('WEBGL_lose_context')?.loseContext();
}

async function init(forced: BackendName | null): Promise<void> {
  if (forced) {
    // Asked for by name, WebGL may be software-rendered (tfjs refuses that unless told otherwise).
    if (forced === 'webgl') tf.env().set('SOFTWARE_WEBGL_ENABLED', true);
    const probe = forced === 'webgl' ? probeWebgl() : NOT_PROBED;
    candidates = backendCandidates(forced, probe);
    current = await startBackend(0, probe);
    if (current.name !== forced) current = { ...current, incident: `${current.reason}; running on ${current.name}` };
    post({ type: 'ready', backend: current });
    return;
  }
  // Automatic: train on wasm (or cpu) at once, and look at WebGL meanwhile on another thread.
  candidates = backendCandidates(null, NOT_PROBED);
  current = await startBackend(0, NOT_PROBED, 'checking WebGL…');
  post({ type: 'ready', backend: current });
  void probeOffThread().then((probe) => {
    const chain = backendCandidates(null, probe);
    if (chain[0].name === 'webgl') {
      better = { candidates: chain, probe };
    } else if (current) {
      current = { ...current, renderer: probe.renderer, float32: probe.webgl2 ? probe.float32 : null, reason: chain[0].reason };
      post({ type: 'backend', backend: current });
    }
  });
}

/** Per size of configuration: the backend a start-up measurement found faster, and the figures. */
const measured = new Map<string, { name: BackendName; reason: string }>();

/**
 * Before a run, where the probe found a usable GPU: measure a few steps of this size on WebGL and on
 * wasm, once per size, and train on the faster (at small sizes a GPU's per-dispatch cost can lose to
 * wasm). Between runs only: a run never changes backend midway.
 */
async function upgradeBackend(config: Config | null): Promise<void> {
  if (!better || !config) return;
  const { candidates: chain, probe } = better;
  const key = sizeKey(config);
  let pick = measured.get(key);
  if (!pick) {
    const rates: Partial<Record<BackendName, number>> = {};
    for (const name of ['webgl', 'wasm'] as const) {
      if (await activateBackend(name)) rates[name] = await measurePairRate(config).catch(() => Number.NaN);
    }
    pick = Object.keys(rates).length ? fasterBackend(rates) : { name: 'wasm', reason: 'WebGL could not start' };
    measured.set(key, pick);
  }
  candidates = pick.name === 'webgl' ? chain : backendCandidates(null, { ...probe, webgl2: false });
  const started = await startBackend(0, probe);
  const reason = `${started.name === 'webgl' ? `GPU: ${probe.renderer ?? 'WebGL2'}` : 'wasm'}; ${pick.reason}`;
  if (current?.name !== started.name || current.reason !== reason) {
    current = { ...started, reason };
    post({ type: 'backend', backend: current });
  }
}

/** Messages wait for the backend; they are handled in the order they came. */
let ready: Promise<void> = Promise.resolve();

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  const runId = 'runId' in message ? message.runId : null;
  const report = (error: unknown) => post({ type: 'error', runId, message: describe(error) });
  if (message.type === 'init') {
    ready = init(message.backend).catch(report);
    return;
  }
  // At once, even while the backend starts: the page's heartbeat.
  if (message.type === 'ping') return post({ type: 'pong' });
  if (message.type === 'debug') return debug(message.action);
  void ready
    .then(async () => {
      if (message.type === 'start') await upgradeBackend(message.config);
      session.handle(message);
    })
    .catch(report);
};
// Async failures outside a handler (a rejected tfjs promise) do not fire worker.onerror: report them here.
// An uncaught exception needs no message: it reaches the page's worker.onerror, which restarts the worker.
scope.addEventListener('unhandledrejection', (event) => {
  post({ type: 'error', runId: null, message: describe(event.reason) });
});
