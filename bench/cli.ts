/**
 * `npm run bench:cli`: the whole `npm run sim` process, as a user starts it (npm, Node, the prebuilt
 * bundle, tfjs's wasm, training, JSON out), at the defaults and with --help; median of a few runs.
 * Also the same without npm's own start-up (node scripts/sim.mjs), and the bundle's rebuild.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { utimesSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMain, progress, round } from './common';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const CLI_TARGETS = {
  defaults: 'issue #17: `npm run sim` at the defaults <= 2 s for the whole process (design.md: the experiment in Node <= 5 s)',
  help: 'issue #17: `npm run sim -- --help` <= 0.5 s',
};

function timeIt(cmd: string, args: string[], repeats: number): { medianS: number | null; runsS: (number | null)[] } {
  const runs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr?.toString().slice(0, 300)}`);
    runs.push((performance.now() - t0) / 1000);
  }
  const sorted = [...runs].sort((a, b) => a - b);
  return { medianS: round(sorted[Math.floor(sorted.length / 2)]), runsS: runs.map((x) => round(x)) };
}

export async function benchCli(log = progress('bench:cli')) {
  const load = () => os.loadavg().map((x) => round(x, 3));
  const out: Record<string, unknown> = { targets: CLI_TARGETS, loadAverageAtStart: load() };
  // A stale bundle is rebuilt by the first run: time that once, then the warm figures.
  utimesSync(path.join(ROOT, 'src/cli/sim.ts'), new Date(), new Date());
  const t0 = performance.now();
  execFileSync(process.execPath, ['scripts/sim.mjs', '--build-only'], { cwd: ROOT });
  out.rebuildS = round((performance.now() - t0) / 1000);
  log('npm run sim -- --help');
  out.help = { npm: timeIt('npm', ['run', '--silent', 'sim', '--', '--help'], 5), node: timeIt(process.execPath, ['scripts/sim.mjs', '--help'], 5) };
  log('npm run sim (defaults)');
  out.defaults = { npm: timeIt('npm', ['run', '--silent', 'sim'], 3), node: timeIt(process.execPath, ['scripts/sim.mjs'], 3) };
  out.npmStartupS = timeIt('npm', ['run', '--silent', 'env'], 3).medianS;
  out.loadAverageAtEnd = load();
  return out;
}

if (isMain(import.meta.url)) process.stdout.write(`${JSON.stringify(await benchCli(), null, 2)}\n`);
