/** The backends that run in Node without native downloads: tfjs's pure-JS cpu and its wasm (XNNPACK, SIMD). */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { activateBackend } from '../engine/backend';
import { NODE_BACKENDS, type NodeBackend } from './node-backend-names';

export { NODE_BACKENDS, type NodeBackend };

/** Start the requested backend, or the fastest one that starts (wasm, then cpu). */
export async function startNodeBackend(requested?: NodeBackend): Promise<NodeBackend> {
  for (const name of requested ? [requested] : NODE_BACKENDS) {
    if (await activateBackend(name)) return name;
  }
  throw new Error(`the ${requested ?? 'wasm or cpu'} backend could not start (${tf.getBackend() ?? 'none active'})`);
}
