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
import type { FromHelper } from './helper-protocol';
import { TrainingSession } from './session';
import { HelperError, HelperLink, SplitTrainer } from './split-trainer';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: FromWorker, transfer: Transferable[] = []) => scope.postMessage(withThreads(message), transfer);
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

/**
 * The helper thread that trains half of each lineup (split-trainer.ts), where it pays: on wasm or
 * cpu (WebGL shares one GPU; its runs stay batched), with HELPER_CORES logical cores or as
 * ?threads= asks. Started with the backend, so that its tfjs is ready by the first run.
 */
let helper: { worker: Worker; link: HelperLink } | null = null;
/** ?threads= (1 or 2), else null: two where the machine has at least HELPER_CORES logical cores. */
let threadsAsked: 1 | 2 | null = null;

/**
 * Two training threads need cores beyond the page's own main, raster and compositor threads. On a
 * 2-core machine (bench:frames, default run after Reset, Chromium, two runs each): one thread 3.21
 * and 3.23 s, two 3.55 and 3.64 s, each chunk waiting for whichever thread the page's own work had
 * preempted. In Node with both cores free, the pair took 1.32 s on one thread, 0.81-0.90 s on two.
 */
const HELPER_CORES = 4;

function splitBackend(): BackendName | null {
  const name = current?.name;
  if (name !== 'wasm' && name !== 'cpu') return null;
  if (typeof Worker === 'undefined' || threadsAsked === 1) return null;
  if (threadsAsked === null && (scope.navigator.hardwareConcurrency ?? 1) < HELPER_CORES) return null;
  return name;
}

/** The backend as the page is told of it: with the training threads it now gets. */
function withThreads(message: FromWorker): FromWorker {
  if (message.type !== 'ready' && message.type !== 'backend') return message;
  return { ...message, backend: { ...message.backend, threads: splitBackend() && helper && !helper.link.failed ? 2 : 1 } };
}

function helperFor(backend: BackendName): HelperLink | null {
  if (!helper) {
    try {
      const worker = new Worker(new URL('./helper.worker.ts', import.meta.url), { type: 'module' });
      // Said at once: the chip's thread count (a run in flight restarts and says why, in recover).
      const link = new HelperLink(
        (message) => worker.postMessage(message),
        () => current && post({ type: 'backend', backend: current }),
      );
      worker.onmessage = (event: MessageEvent<FromHelper>) => link.receive(event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        link.fail(event.message || 'the helper thread stopped');
        worker.terminate();
      };
      helper = { worker, link };
      link.warm(backend);
    } catch {
      return null;
    }
  }
  return helper.link.failed ? null : helper.link;
}

const session = new TrainingSession({
  post,
  trainer(data, runs, config) {
    const backend = splitBackend();
    const link = backend && runs.length >= 2 ? helperFor(backend) : null;
    return link && backend ? new SplitTrainer(data, runs, config, backend, link) : null;
  },
  async recover(error) {
    // The helper thread failed: the same run again, on this thread alone (helperFor gives null now).
    if (error instanceof HelperError) {
      if (current) post({ type: 'backend', backend: { ...current, incident: `${describe(error)}; training on one thread` } });
      return true;
    }
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

function warmHelper(): void {
  const backend = splitBackend();
  if (backend) helperFor(backend);
}

async function init(forced: BackendName | null): Promise<void> {
  if (forced) {
    // Asked for by name, WebGL may be software-rendered (tfjs refuses that unless told otherwise).
    if (forced === 'webgl') tf.env().set('SOFTWARE_WEBGL_ENABLED', true);
    const probe = forced === 'webgl' ? probeWebgl() : NOT_PROBED;
    candidates = backendCandidates(forced, probe);
    current = await startBackend(0, probe);
    if (current.name !== forced) current = { ...current, incident: `${current.reason}; running on ${current.name}` };
    warmHelper();
    post({ type: 'ready', backend: current });
    void session.warmUp().catch(() => undefined);
    return;
  }
  // Automatic: train on wasm (or cpu) at once, and look at WebGL meanwhile on another thread.
  candidates = backendCandidates(null, NOT_PROBED);
  current = await startBackend(0, NOT_PROBED, 'checking WebGL…');
  warmHelper();
  post({ type: 'ready', backend: current });
  void session.warmUp().catch(() => undefined); // a failure here shows again, and is reported, in a real run
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
    threadsAsked = message.threads ?? null;
    ready = init(message.backend).catch(report);
    return;
  }
  // At once, even while the backend starts: the page's heartbeat.
  if (message.type === 'ping') return post({ type: 'pong' });
  if (message.type === 'debug') return debug(message.action);
  // The warm-up ends at its next chunk; a backend switch waits for its tensors to be freed.
  const warm = session.endWarmUp();
  void ready
    .then(async () => {
      if (message.type === 'start' && better) await warm;
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
