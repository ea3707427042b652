import * as tf from '@tensorflow/tfjs-core';

import type { BackendName } from './backend-names';

export type { BackendName } from './backend-names';

/**
 * Switch tfjs to a registered backend; false (never a throw) when it cannot start here.
 * Registration is the host's job (Node entry or worker), so the engine stays platform-free.
 */
export async function activateBackend(name: BackendName): Promise<boolean> {
  try {
    if (!(await tf.setBackend(name))) return false;
    await tf.ready();
    return tf.getBackend() === name;
  } catch {
    return false;
  }
}
