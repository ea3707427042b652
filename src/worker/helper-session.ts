import * as tf from '@tensorflow/tfjs-core';
import { activateBackend } from '../engine/backend';
import type { BackendName } from '../engine/backend-names';
import { BatchTrainer } from '../engine/trainer';
import { type Dataset, generateDataset } from '../sim/data';
import { datasetKey } from '../sim/params';
import type { FromHelper, ToHelper } from './helper-protocol';

/**
 * The helper thread's state: its trainers by id. Platform-free, so that tests run it in-process.
 * Messages are handled one after the other, in order (a backend start is asynchronous).
 */
export class HelperSession {
  private readonly trainers = new Map<number, BatchTrainer>();
  private data: { key: string; data: Dataset } | null = null;
  private serial: Promise<void> = Promise.resolve();

  constructor(private readonly post: (message: FromHelper, transfer?: Transferable[]) => void) {}

  handle(message: ToHelper): Promise<void> {
    this.serial = this.serial.then(() => this.handleNow(message));
    return this.serial;
  }

  private async handleNow(message: ToHelper): Promise<void> {
    const id = message.type === 'warm' ? null : message.id;
    try {
      if (message.type === 'warm') {
        await this.backend(message.backend);
      } else if (message.type === 'create') {
        await this.backend(message.backend);
        const key = datasetKey(message.config);
        if (this.data?.key !== key) this.data = { key, data: generateDataset(message.config) };
        this.trainers.get(message.id)?.dispose();
        this.trainers.set(message.id, new BatchTrainer(this.data.data, message.runs, message.config));
      } else if (message.type === 'advance') {
        const trainer = this.trainers.get(message.id);
        if (!trainer) throw new Error(`no trainer ${message.id}`);
        trainer.advance(message.steps);
        const { ts, packed } = await trainer.collect();
        this.post({ type: 'rows', id: message.id, ts, packed }, [packed.buffer]);
      } else {
        this.trainers.get(message.id)?.dispose();
        this.trainers.delete(message.id);
      }
    } catch (error) {
      this.post({ type: 'error', id, message: error instanceof Error ? error.message : String(error) });
    }
  }

  private async backend(name: BackendName): Promise<void> {
    if (tf.getBackend() === name) return;
    if (!(await activateBackend(name))) throw new Error(`the helper could not start ${name}`);
  }

  /** Trainers still held (tests). */
  get size(): number {
    return this.trainers.size;
  }

  dispose(): void {
    for (const trainer of this.trainers.values()) trainer.dispose();
    this.trainers.clear();
  }
}
