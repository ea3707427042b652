/**
 * `npm run sim` runs scripts/sim.mjs: the CLI bundled once into dist-cli/ (rebuilt when a source is
 * newer), not TypeScript compiled at every start. Same output as the TypeScript entry.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { helpText } from '../src/cli/args';

const ROOT = path.resolve(__dirname, '..');

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['scripts/sim.mjs', ...args], { cwd: ROOT, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('the prebuilt CLI (scripts/sim.mjs)', () => {
  it('prints the help text', async () => {
    const out = await run(['--help']);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(helpText());
  });

  it('trains a small pair and rejects a bad flag with exit code 2', async () => {
    const ok = await run(['--N', '40', '--Ntest', '40', '--T', '20', '--logEvery', '10', '--d', '8', '--m', '4']);
    expect(ok.code).toBe(0);
    const out = JSON.parse(ok.stdout) as { runs: Record<string, { trace: unknown[] }> };
    expect(Object.keys(out.runs)).toEqual(expect.arrayContaining(['gd', 'gdm']));
    expect(out.runs.gd.trace.length).toBeGreaterThan(1);
    const bad = await run(['--bogus', '1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown flag --bogus/);
  });
});
