/// <reference lib="webworker" />
/**
 * The sweep worker: trains a (gamma, beta) grid on the backend the live worker chose (so both agree
 * on what this machine runs best), falling back down webgl -> wasm -> cpu if it cannot start here.
 */
import * as tf from '@tensorflow/tfjs-core';
import './tfjs-setup';
import { activateBackend } from '../engine/backend';
import { BACKENDS, type BackendName } from '../engine/backend-names';
import type { FromSweepWorker, ToSweepWorker } from './sweep-protocol';
import { SweepSession } from './sweep-session';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: FromSweepWorker, transfer: Transferable[] = []) => scope.postMessage(message, transfer);
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function init(asked: BackendName): Promise<void> {
  // The live worker already judged WebGL (float32, not software): trust its choice here.
  if (asked === 'webgl') tf.env().set('SOFTWARE_WEBGL_ENABLED', true);
  for (const name of BACKENDS.slice(BACKENDS.indexOf(asked))) {
    if (await activateBackend(name)) {
      post({ type: 'ready', backend: name });
      return;
    }
  }
  throw new Error('no tfjs backend could start for the sweep');
}

const session = new SweepSession(post, () => tf.getBackend());
let ready: Promise<void> = Promise.resolve();

scope.onmessage = (event: MessageEvent<ToSweepWorker>) => {
  const message = event.data;
  const sweepId = 'sweepId' in message ? message.sweepId : null;
  const report = (error: unknown) => post({ type: 'error', sweepId, message: describe(error) });
  if (message.type === 'init') {
    ready = init(message.backend).catch(report);
    return;
  }
  void ready.then(() => session.handle(message)).catch(report);
};
scope.addEventListener('unhandledrejection', (event) => post({ type: 'error', sweepId: null, message: describe(event.reason) }));
