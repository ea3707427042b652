import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main';
import { runSweepSync } from '../src/engine/sweep';
import { CLI_DEFAULTS } from '../src/cli/args';
import { DEFAULT_GRID, SWEEP_FIELDS, sweepCells } from '../src/sim/sweep';
import { switchBackend } from './support/tf';

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

const FLAGS = ['--sweep', '--T', '30', '--N', '60', '--Ntest', '60', '--d', '12', '--m', '6', '--backend', 'cpu'];
// The CLI's defaults: the table's with one seed (src/cli/args.ts).
const CONFIG = { ...CLI_DEFAULTS, T: 30, N: 60, Ntest: 60, d: 12, m: 6 };

describe('npm run sim -- --sweep', () => {
  beforeAll(() => switchBackend('cpu'));

  it('prints the phase map of the page: every cell of the default grid, the numbers of the sweep engine', async () => {
    const { code, stdout, stderr } = await run(FLAGS);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.grid).toEqual(DEFAULT_GRID);
    expect(out.backend).toBe('cpu');
    expect(out.config).toEqual(CONFIG);
    const want = sweepCells(runSweepSync(CONFIG, DEFAULT_GRID)).flat();
    expect(out.cells).toHaveLength(30);
    out.cells.forEach((cell: (typeof want)[number], k: number) => {
      expect([cell.gamma, cell.beta]).toEqual([want[k].gamma, want[k].beta]);
      for (const f of SWEEP_FIELDS) {
        expect(cell.gd[f]).toBeCloseTo(want[k].gd[f], 6);
        expect(cell.gdm[f]).toBeCloseTo(want[k].gdm[f], 6);
      }
      expect(cell.gap).toBeCloseTo(want[k].gap, 6);
    });
    expect(stderr).toMatch(/^sim: sweep of 30 cells \(35 runs\) on cpu in [\d.]+ s, T=30: GD\+M beats GD by more than 5 points of test error in \d+ cells\n$/);
  });

  it('writes CSV: a header, then one line per cell', async () => {
    const { code, stdout } = await run([...FLAGS, '--csv']);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(['gamma', 'beta', ...SWEEP_FIELDS.map((f) => `gd_${f}`), ...SWEEP_FIELDS.map((f) => `gdm_${f}`), 'gap', 'seeds', 'seedsWithGap'].join(','));
    expect(lines).toHaveLength(31);
    expect(lines.slice(1).every((l) => l.split(',').length === 15)).toBe(true);
  });

  it('--seeds S: each cell the mean over S seeds, with how many seeds show the gap', async () => {
    const { code, stdout, stderr } = await run([...FLAGS, '--seeds', '2', '--seed', '7']);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    const want = sweepCells(runSweepSync({ ...CONFIG, seeds: 2, seed: 7 }, DEFAULT_GRID)).flat();
    const seed8 = sweepCells(runSweepSync({ ...CONFIG, seed: 8 }, DEFAULT_GRID)).flat();
    out.cells.forEach((cell: (typeof want)[number], k: number) => {
      expect(cell.seeds).toBe(2);
      expect(cell.seedsWithGap).toBe(want[k].seedsWithGap);
      expect(cell.gap).toBeCloseTo(want[k].gap, 6);
    });
    // the second seed is in it: not the map of seed 7 alone
    expect(out.cells.some((c: (typeof want)[number], k: number) => Math.abs(c.gd.cMax - seed8[k].gd.cMax) > 1e-6)).toBe(true);
    expect(stderr).toMatch(/\(70 runs\).*means over 2 seeds from seed 7/);
  });

  it('rejects flags that make no sense for a map, and bad values, with exit code 2', async () => {
    for (const extra of [['--load', 'x.json'], ['--dump', 'x.json'], ['--detail'], ['--T', '-1'], ['--seeds', '11'], ['--runs', 'sgd=5']]) {
      const { code, stderr } = await run(['--sweep', ...extra]);
      expect(code, extra.join(' ')).toBe(2);
      expect(stderr).toMatch(/^error: /);
    }
  });
});
