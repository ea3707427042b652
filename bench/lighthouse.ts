/**
 * `npm run bench:lighthouse`: Lighthouse 12.2.3 in its default mode (mobile: a mid-range phone,
 * simulated slow 4G and 4x CPU slowdown) on the two views of design.md's target, the page and an
 * embed (`?panel=race`), against the built site served WITH gzip, as real hosts serve it, by
 * test/e2e/support/static-server.ts in a process of its own (a server inside this process would
 * never answer while Lighthouse runs). Prints JSON on stdout: per view the four category scores,
 * the five metrics (FCP, LCP, TBT, CLS, Speed Index), the largest opportunities and every
 * non-performance audit that is not passed.
 *
 * LH_RUNS=3 runs each view three times and reports the median run (by performance score).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromiumPath } from '../test/e2e/support/browser';
import { buildSite } from '../test/e2e/support/server';
import { isMain, progress, round } from './common';

const run = promisify(execFile);
export const LIGHTHOUSE_TARGET = 'Lighthouse mobile (built site served with gzip): performance >= 90 on the page and on an embed; accessibility, best practices, SEO 100';
export const VIEWS = { page: '', embedRace: '?panel=race' };

/** Serve `dir` with gzip from a child process; resolves once it prints its URL. */
export function serveGzipProcess(dir: string): Promise<{ url: string; stop: () => void }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'test/e2e/support/static-server.ts', dir, '--gzip'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((done, fail) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n')) done({ url: line.trim(), stop: () => child.kill() });
    });
    child.on('exit', (code) => fail(new Error(`the gzip server exited (${code})`)));
  });
}

interface LhResult {
  categories: Record<string, { score: number | null }>;
  audits: Record<string, { score: number | null; numericValue?: number; displayValue?: string; title: string; details?: { overallSavingsMs?: number; overallSavingsBytes?: number } }>;
  lighthouseVersion: string;
  runWarnings: string[];
}

/** LH_REPORTS=dir keeps every run's full JSON report there (the details the summary leaves out). */
async function lighthouseOnce(url: string, name: string): Promise<LhResult> {
  const dir = mkdtempSync(join(tmpdir(), 'momentum-lh-'));
  try {
    const out = join(dir, 'report.json');
    await run(
      process.execPath,
      [
        'node_modules/lighthouse/cli/index.js',
        url,
        '--output=json',
        `--output-path=${out}`,
        '--quiet',
        '--only-categories=performance,accessibility,best-practices,seo',
        '--chrome-flags=--headless=new --no-sandbox --no-first-run --disable-background-networking --disable-component-update --disable-sync',
      ],
      { env: { ...process.env, CHROME_PATH: chromiumPath() }, maxBuffer: 64 * 1024 * 1024, timeout: 300_000 },
    );
    if (process.env.LH_REPORTS) {
      mkdirSync(process.env.LH_REPORTS, { recursive: true });
      copyFileSync(out, join(process.env.LH_REPORTS, `${name}-${Date.now()}.json`));
    }
    return JSON.parse(readFileSync(out, 'utf8')) as LhResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const METRICS = {
  fcpS: ['first-contentful-paint', 1000],
  lcpS: ['largest-contentful-paint', 1000],
  tbtMs: ['total-blocking-time', 1],
  cls: ['cumulative-layout-shift', 1],
  speedIndexS: ['speed-index', 1000],
} as const;

function summary(r: LhResult) {
  const score = (k: string) => (r.categories[k]?.score == null ? null : Math.round(r.categories[k].score! * 100));
  const metrics: Record<string, number | null> = {};
  for (const [name, [id, scale]] of Object.entries(METRICS)) metrics[name] = round((r.audits[id]?.numericValue ?? Number.NaN) / scale);
  const opportunities = Object.entries(r.audits)
    .filter(([, a]) => a.score !== null && a.score < 0.9 && (a.details?.overallSavingsMs ?? 0) > 0)
    .sort(([, a], [, b]) => (b.details!.overallSavingsMs ?? 0) - (a.details!.overallSavingsMs ?? 0))
    .slice(0, 6)
    .map(([id, a]) => `${id}: ${a.displayValue ?? ''} (~${Math.round(a.details!.overallSavingsMs!)} ms)`);
  const diagnostics = ['dom-size', 'bootup-time', 'mainthread-work-breakdown', 'total-byte-weight']
    .filter((id) => r.audits[id])
    .map((id) => `${id}: ${r.audits[id].displayValue ?? ''}`);
  // what the LCP is, what shifted, and which scripts cost the main thread most
  type Item = { node?: { snippet?: string; selector?: string }; score?: number; url?: string; total?: number; items?: Item[] };
  const items = (id: string) => ((r.audits[id]?.details as { items?: Item[] } | undefined)?.items ?? []) as Item[];
  const node = (i: Item) => (i.node?.selector ?? i.node?.snippet ?? '').slice(0, 120);
  const lcpItems = items('largest-contentful-paint-element');
  const lcpElement = lcpItems[0]?.items?.[0] ? node(lcpItems[0].items[0]) : null;
  const layoutShifts = items('layout-shifts').slice(0, 4).map((i) => `${round(i.score ?? Number.NaN)} ${node(i)}`);
  const scripts = items('bootup-time').slice(0, 4).map((i) => `${Math.round(i.total ?? 0)} ms ${String(i.url ?? '').replace(/^https?:\/\/[^/]+/, '')}`);
  return {
    performance: score('performance'),
    accessibility: score('accessibility'),
    bestPractices: score('best-practices'),
    seo: score('seo'),
    ...metrics,
    opportunities,
    diagnostics,
    lcpElement,
    layoutShifts,
    scripts,
    warnings: r.runWarnings,
  };
}

export async function benchLighthouse(dir: string, log = progress('bench:lighthouse')): Promise<Record<string, unknown>> {
  const runs = Math.max(1, Number(process.env.LH_RUNS ?? 1));
  const server = await serveGzipProcess(dir);
  const out: Record<string, unknown> = { target: LIGHTHOUSE_TARGET, mode: 'default (mobile, simulated throttling)', runsPerView: runs };
  try {
    for (const [name, q] of Object.entries(VIEWS)) {
      const results: ReturnType<typeof summary>[] = [];
      for (let k = 0; k < runs; k++) {
        log(`lighthouse ${name} (${k + 1}/${runs})`);
        const r = await lighthouseOnce(server.url + q, name);
        out.lighthouse ??= r.lighthouseVersion;
        results.push(summary(r));
        log(`${name}: performance ${results.at(-1)!.performance}`);
      }
      results.sort((a, b) => (a.performance ?? 0) - (b.performance ?? 0));
      out[name] = { url: q || '/', ...results[Math.floor(results.length / 2)], ...(runs > 1 ? { performanceRuns: results.map((x) => x.performance) } : {}) };
    }
  } finally {
    server.stop();
  }
  return out;
}

const DIST = '.bench/lighthouse-dist';

if (isMain(import.meta.url)) {
  const log = progress('bench:lighthouse');
  if (!process.env.LH_DIST) {
    log('build');
    await buildSite(DIST);
  }
  process.stdout.write(`${JSON.stringify(await benchLighthouse(process.env.LH_DIST ?? DIST, log), null, 2)}\n`);
}
