import type { FromWorker, RunId, SnapshotMessage, StartedMessage } from '../../src/worker/protocol';
import type { SessionHost } from '../../src/worker/session';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Poll until `probe` returns something truthy; fail with `what` after `timeoutMs`. */
export async function until<T>(probe: () => T | null | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
  const started = performance.now();
  for (;;) {
    const value = probe();
    if (value) return value;
    if (performance.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(2);
  }
}

/** A TrainingSession host that records everything the session posts. */
export class FakeHost implements SessionHost {
  readonly messages: FromWorker[] = [];
  readonly recovered: unknown[] = [];
  /** What recover() answers; false by default (no fallback backend). */
  recoverWith: (error: unknown) => Promise<boolean> = async () => false;

  post(message: FromWorker): void {
    this.messages.push(message);
  }

  recover(error: unknown): Promise<boolean> {
    this.recovered.push(error);
    return this.recoverWith(error);
  }

  snapshots(runId?: RunId): SnapshotMessage[] {
    return this.messages.filter((m): m is SnapshotMessage => m.type === 'snapshot' && (runId === undefined || m.runId === runId));
  }

  started(runId?: RunId): StartedMessage[] {
    return this.messages.filter((m): m is StartedMessage => m.type === 'started' && (runId === undefined || m.runId === runId));
  }

  errors(runId?: RunId) {
    return this.messages.filter(
      (m): m is Extract<FromWorker, { type: 'error' }> => m.type === 'error' && (runId === undefined || m.runId === runId),
    );
  }

  /** Wait for the done snapshot of a run. */
  done(runId: RunId, timeoutMs = 20_000): Promise<SnapshotMessage> {
    return until(() => this.snapshots(runId).find((s) => s.done), `run ${runId} to finish`, timeoutMs);
  }
}

/** The logged steps and, per run, the rows of some snapshots, joined in order. */
export function joinRows(snapshots: readonly SnapshotMessage[]): { ts: number[]; rows: Record<string, Float32Array> } {
  const ts = snapshots.flatMap((s) => s.ts);
  const names = [...new Set(snapshots.flatMap((s) => Object.keys(s.rows)))];
  const rows = Object.fromEntries(
    names.map((name) => {
      const parts = snapshots.map((s) => (s.rows as Record<string, Float32Array>)[name] ?? new Float32Array(0));
      const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        out.set(p, at);
        at += p.length;
      }
      return [name, out];
    }),
  );
  return { ts, rows };
}
