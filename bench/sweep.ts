/**
 * The phase-diagram sweep (DEFAULT_GRID: 6 gammas x 5 betas = 30 cells, 35 runs: per beta one GD
 * run and one GD+M run per gamma), timed in Node and in the page. Used by `npm run bench`.
 *
 * - node: runSweepSync(DEFAULT_CONFIG, DEFAULT_GRID) on wasm with the blockRows heuristic, as
 *   `npm run precompute` computes the shipped map (data generation and readback included).
 * - blockRows: the same at T = 150 with 1, 2 and 7 (all) runs per block, and the heuristic's
 *   choice, each twice (in order, then reversed; the faster counts), to show why it picks what it picks.
 * - browser: the default page's 'Compute it here' button -> data-status=done, and the page's own
 *   figures (its status line).
 * A run-step is one optimizer step of one run; a cell-run is one whole run (T steps).
 */
import type { Browser } from 'playwright-core';
import { startNodeBackend } from '../src/cli/node-backends';
import { blockRows, runSweepSync } from '../src/engine/sweep';
import { DEFAULT_CONFIG } from '../src/sim/params';
import { DEFAULT_GRID, loggedSweepSteps, runsPerBeta, sweepRunCount } from '../src/sim/sweep';
import { openPage } from '../test/e2e/support/browser';
import { round } from './common';

const RUNS = sweepRunCount(DEFAULT_GRID);
const CELLS = DEFAULT_GRID.gammas.length * DEFAULT_GRID.betas.length;
/** BENCH_QUICK: the sweeps on fewer steps (checking the benchmark itself, not for figures). */
export const QUICK_T = 300;
const BLOCK_T = 150;

const rates = (T: number, wallMs: number) => ({
  wallMs: Math.round(wallMs),
  runStepsPerSecond: round((RUNS * T * 1000) / wallMs),
  cellRunsPerSecond: round((RUNS * 1000) / wallMs),
});

/** One timed runSweepSync on the active backend; `rows` as SweepTrainer's blockRows option. */
function timeSweep(T: number, rows: number) {
  const base = { ...DEFAULT_CONFIG, T };
  const t0 = performance.now();
  const trace = runSweepSync(base, DEFAULT_GRID, { blockRows: rows });
  const wallMs = performance.now() - t0;
  if (trace.ts.length !== loggedSweepSteps(T).length) throw new Error(`the sweep logged ${trace.ts.length} steps, expected ${loggedSweepSteps(T).length}`);
  // A map of NaNs would time a broken program: say how many test errors came out as numbers.
  const F = trace.rows.length / trace.ts.length / RUNS;
  let finite = 0;
  for (let r = 0; r < RUNS; r++) if (Number.isFinite(trace.rows[((trace.ts.length - 1) * RUNS + r) * F + 1])) finite++;
  return { wallMs, finiteRuns: finite };
}

export async function benchSweepNode({ quick = false, log = (_: string) => {} } = {}) {
  const backend = await startNodeBackend('wasm');
  const { m, P, N } = DEFAULT_CONFIG;
  const T = quick ? QUICK_T : DEFAULT_CONFIG.T;
  const heuristic = blockRows(backend, m, P, N, DEFAULT_CONFIG.Ntest);
  log(`node sweep: ${RUNS} runs, T = ${T}, ${backend}, blockRows ${heuristic} (${Math.floor(heuristic / m)} runs per block)`);
  const { wallMs, finiteRuns } = timeSweep(T, heuristic);
  log(`node sweep: ${(wallMs / 1000).toFixed(1)} s`);
  return {
    backend,
    T,
    ...(quick ? { quick: `BENCH_QUICK: T = ${T}, not the default ${DEFAULT_CONFIG.T}` } : {}),
    blockRows: heuristic,
    runsPerBlock: Math.min(DEFAULT_GRID.gammas.length + 1, Math.floor(heuristic / m)),
    cells: CELLS,
    cellRuns: RUNS,
    ...rates(T, wallMs),
    finiteRuns,
    how: 'runSweepSync(DEFAULT_CONFIG, DEFAULT_GRID) in this process: data sets, training, every logged readback',
  };
}

/** Wall times at T = 150 for 1, 2 and all runs of a data set per block (and the heuristic's choice). */
export async function benchBlockRows({ log = (_: string) => {} } = {}) {
  const backend = await startNodeBackend('wasm');
  const { m, P, N } = DEFAULT_CONFIG;
  const heuristic = blockRows(backend, m, P, N, DEFAULT_CONFIG.Ntest);
  const perBeta = runsPerBeta(DEFAULT_GRID);
  const choices = [...new Set([m, 2 * m, perBeta * m, heuristic])].sort((a, b) => a - b);
  // Each choice twice, in order and then in reverse, so a drifting machine load (or the first
  // run's warm-up) does not favour one end of the table: the figure is the faster of the two.
  const walls = new Map<number, number[]>(choices.map((v) => [v, []]));
  const finite = new Map<number, number>();
  for (const value of [...choices, ...[...choices].reverse()]) {
    const { wallMs, finiteRuns } = timeSweep(BLOCK_T, value);
    walls.get(value)!.push(Math.round(wallMs));
    finite.set(value, Math.min(finite.get(value) ?? RUNS, finiteRuns));
    log(`blockRows ${value} (${Math.min(perBeta, Math.floor(value / m))} runs per block): ${(wallMs / 1000).toFixed(2)} s`);
  }
  const rows = choices.map((value) => {
    const best = Math.min(...walls.get(value)!);
    return { blockRows: value, runsPerBlock: Math.min(perBeta, Math.floor(value / m)), heuristic: value === heuristic, ...rates(BLOCK_T, best), wallsMs: walls.get(value), finiteRuns: finite.get(value) };
  });
  return {
    backend,
    T: BLOCK_T,
    m,
    heuristic: `blockRows(${backend}, m, P, N, Ntest) = max(m, floor(4e6 / (P max(N, Ntest)))) = ${heuristic}`,
    note: `${perBeta} runs per data set; ${perBeta * m} rows = one block per data set`,
    rows,
  };
}

/** In-page recorder: the phase panel's status changes, the compute button's click, and frames. */
const RECORDER = `(() => {
  const B = { clickAt: null, runningAt: null, doneAt: null, frames: [], statuses: [] };
  window.__sweepBench = B;
  new MutationObserver(() => {
    const el = document.querySelector('[data-testid=phase]');
    if (!el) return;
    const status = el.getAttribute('data-status');
    const now = performance.now();
    if (B.statuses.at(-1)?.status !== status) B.statuses.push({ status, t: now });
    if (B.clickAt === null) return;
    if (status === 'running' && B.runningAt === null) B.runningAt = now;
    if (status === 'done' && el.getAttribute('data-source') === 'live' && B.doneAt === null) B.doneAt = now;
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-status', 'data-source'] });
  addEventListener('click', (e) => { if (B.clickAt === null && e.target.closest && e.target.closest('.phase-compute')) B.clickAt = performance.now(); }, true);
  const frame = () => { if (B.clickAt !== null && B.doneAt === null) B.frames.push(performance.now()); requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
})()`;

interface Recorded {
  clickAt: number | null;
  runningAt: number | null;
  doneAt: number | null;
  frames: number[];
  statuses: { status: string; t: number }[];
}

/**
 * The default page (map precomputed): once the live worker is ready and idle, click 'Compute it
 * here' and wait for the live map. Quick: ?T=300, whose map the page computes by itself first; then
 * 'Compute again' is timed the same way.
 */
export async function benchSweepBrowser(browser: Browser, base: string, { quick = false, log = (_: string) => {} } = {}) {
  const T = quick ? QUICK_T : DEFAULT_CONFIG.T;
  const url = quick ? `${base}?T=${T}` : base;
  // bypassCSP: see BENCH_CONTEXT in ./browser (string predicates need eval)
  const b = await openPage(browser, url, { viewport: { width: 1280, height: 900 }, bypassCSP: true });
  try {
    const { page } = b;
    const attr = (sel: string, name: string) => `document.querySelector('${sel}')?.getAttribute('${name}')`;
    // The map on screen (precomputed, or computed here after the live runs), and the live worker up and idle.
    await page.waitForFunction(`${attr('[data-testid=phase]', 'data-status')} === 'done'`, undefined, { polling: 500, timeout: quick ? 300_000 : 60_000 });
    await page.waitForFunction(`${attr('[data-testid=status]', 'data-value')} === 'done' && !!document.querySelector('.chip[data-backend]')`, undefined, {
      polling: 500,
      timeout: 120_000,
    });
    const liveBackend = await page.evaluate(`${attr('.chip[data-backend]', 'data-backend')}`);
    const source = await page.evaluate(`${attr('[data-testid=phase]', 'data-source')}`);
    await page.waitForTimeout(1000);
    await page.evaluate(RECORDER);
    const button = page.locator('.phase-compute');
    const label = (await button.textContent())?.trim() ?? null;
    log(`browser sweep: '${label}' (map before: ${source}; live runs on ${liveBackend}), T = ${T}`);
    await button.click();
    await page.waitForFunction('window.__sweepBench.doneAt !== null || document.querySelector("[data-testid=phase]")?.getAttribute("data-status") === "error"', undefined, {
      polling: 1000,
      timeout: 900_000,
    });
    const rec = (await page.evaluate('window.__sweepBench')) as Recorded;
    // The status line's text, less its button's label ('Compute again' once done).
    const status = ((await page.getByTestId('phase-status').textContent()) ?? '').replace(/\s*Compute (it here|again)\s*$/, '').trim();
    if (rec.doneAt === null || rec.clickAt === null) throw new Error(`the sweep did not finish: ${status}`);
    // 'Computed in this browser (wasm) in 84.3 s, 656 run-steps/s.'
    const said = /Computed in this browser \(([^)]*)\) in ([\d.]+) s(?:, ([\d,]+) run-steps\/s)?/.exec(status);
    const wallMs = rec.doneAt - rec.clickAt;
    const intervals = rec.frames
      .slice(1)
      .map((t, i) => t - rec.frames[i])
      .sort((x, y) => x - y);
    const p95 = intervals.length ? intervals[Math.min(intervals.length - 1, Math.ceil(0.95 * intervals.length) - 1)] : Number.NaN;
    log(`browser sweep: ${(wallMs / 1000).toFixed(1)} s from the click; the page says: ${status}`);
    return {
      backend: said?.[1] ?? null,
      liveRunsBackend: liveBackend,
      T,
      ...(quick ? { quick: `BENCH_QUICK: ?T=${T}, not the default page` } : {}),
      button: label,
      cells: CELLS,
      cellRuns: RUNS,
      ...rates(T, wallMs),
      clickToRunningMs: rec.runningAt === null ? null : Math.round(rec.runningAt - rec.clickAt),
      page: {
        statusLine: status,
        wallMs: said ? Math.round(Number(said[2]) * 1000) : null,
        runStepsPerSecond: said?.[3] ? Number(said[3].replace(/,/g, '')) : null,
        note: "the page's own figures: wall time from the sweep worker's start (after its backend init), rate over the worker's busy time",
      },
      mainThreadWhileSweeping: { frames: rec.frames.length, p95ms: round(p95), maxMs: round(intervals.at(-1) ?? Number.NaN) },
      how: 'wallMs: click on the button -> [data-testid=phase] data-status=done with data-source=live, timed in the page',
      ...(b.problems.length ? { problems: b.problems.slice(0, 10) } : {}),
    };
  } finally {
    await b.close();
  }
}
