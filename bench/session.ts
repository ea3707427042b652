/**
 * `tsx bench/session.ts [processes]`: the page's training path in Node. The worker's TrainingSession
 * (platform-free, src/worker/session.ts) on Node wasm, with a host that only keeps the posted
 * messages: it warms up as the worker does, then trains the default run as a Reset asks for it (the
 * first live run), then three more live runs on other seeds (no GD cache: both runs train). Each
 * process is fresh, so its first live run meets V8 as the page's does.
 *
 * What it separates: the page's figure = this run's time, plus what the browser adds, over the share
 * of a core the worker gets; bench/pair.ts's full experiment is the engine alone, without the
 * session's chunks, posting and first-run compiles.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMain, progress, round } from './common';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Run {
  wallS: number | null;
  cpuS: number | null;
}

/** One fresh process's runs: the first live run after the warm-up, then three later ones. */
async function measureHere(): Promise<{ firstLiveRun: Run; laterRuns: Run[] }> {
  const { startNodeBackend } = await import('../src/cli/node-backends');
  const { TrainingSession } = await import('../src/worker/session');
  const { DEFAULT_CONFIG } = await import('../src/sim/params');
  type FromWorker = import('../src/worker/protocol').FromWorker;
  type RunId = import('../src/worker/protocol').RunId;
  await startNodeBackend('wasm');
  let finished: ((id: RunId) => void) | null = null;
  const session = new TrainingSession({
    post(message: FromWorker) {
      if (message.type === 'snapshot' && message.done) finished?.(message.runId);
      if (message.type === 'error') throw new Error(message.message);
    },
    recover: async () => false,
  });
  await session.warmUp();
  const run = (k: number): Promise<Run> =>
    new Promise((resolve) => {
      const runId = k as RunId;
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      finished = (id) => {
        if (id !== runId) return;
        const c = process.cpuUsage(c0);
        resolve({ wallS: round((performance.now() - t0) / 1000), cpuS: round((c.user + c.system) / 1e6) });
      };
      // The first at the defaults (the warm-up's data set, as a Reset trains it); later ones on other seeds.
      const config = k === 1 ? DEFAULT_CONFIG : { ...DEFAULT_CONFIG, seed: DEFAULT_CONFIG.seed + 100 + k };
      session.handle({ type: 'start', runId, config, paused: false, stepsPerSecond: null });
    });
  const firstLiveRun = await run(1);
  const laterRuns: Run[] = [];
  for (let k = 2; k <= 4; k++) laterRuns.push(await run(k));
  return { firstLiveRun, laterRuns };
}

export async function benchSession(log = progress('bench:session'), processes = 3) {
  const runs: { firstLiveRun: Run; laterRuns: Run[] }[] = [];
  for (let p = 0; p < processes; p++) {
    log(`process ${p + 1} of ${processes}`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/session.ts', '--here'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(`bench/session.ts --here failed: ${r.stderr.slice(-500)}`);
    runs.push(JSON.parse(r.stdout.trim().split('\n').at(-1)!));
  }
  const walls = (xs: Run[]) => xs.map((x) => x.wallS);
  return {
    what: 'the worker\'s TrainingSession in Node wasm: warm-up, then the default run as a Reset starts it (first live run), then three live runs on other seeds; one fresh process each',
    firstLiveRunS: walls(runs.map((r) => r.firstLiveRun)),
    firstLiveRunCpuS: runs.map((r) => r.firstLiveRun.cpuS),
    laterRunsS: runs.map((r) => walls(r.laterRuns)),
  };
}

if (isMain(import.meta.url)) {
  if (process.argv.includes('--here')) {
    process.stdout.write(`${JSON.stringify(await measureHere())}\n`);
    process.exit(0);
  }
  process.stdout.write(`${JSON.stringify(await benchSession(progress('bench:session'), Number(process.argv[2] ?? 3)), null, 2)}\n`);
}
