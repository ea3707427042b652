/// <reference lib="webworker" />
/** The training worker's helper thread (helper-protocol.ts): trains part of a lineup on its own core. */
import './tfjs-setup';
import type { FromHelper, ToHelper } from './helper-protocol';
import { HelperSession } from './helper-session';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const session = new HelperSession((message: FromHelper, transfer: Transferable[] = []) => scope.postMessage(message, transfer));
scope.onmessage = (event: MessageEvent<ToHelper>) => void session.handle(event.data);
