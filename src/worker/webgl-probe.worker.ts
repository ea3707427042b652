/// <reference lib="webworker" />
/**
 * Probes WebGL on its own thread: the first WebGL context can take a second or more to create
 * (software rasterizers especially), and the training worker should not wait for it.
 */
import { probeWebgl } from './backend-choice';

(self as unknown as DedicatedWorkerGlobalScope).postMessage(probeWebgl());
