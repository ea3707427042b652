/** Shared by the benchmarks: rounding, progress lines, the targets, and other processes' CPU use. */
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const round = (x: number, digits = 3) => (Number.isFinite(x) ? Number(x.toPrecision(digits)) : null);

/** A progress printer on stderr (stdout carries the JSON), with seconds since `started`. */
export function progress(name: string, started = performance.now()): (msg: string) => void {
  return (msg) => process.stderr.write(`${name} [${((performance.now() - started) / 1000).toFixed(0)} s] ${msg}\n`);
}

/** Whether this module is the script node/tsx was started with (not imported by the report). */
export const isMain = (url: string) => !!process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(url);

/** shared/design.md, "Targets": printed next to the numbers, never asserted. */
export const TARGETS = {
  experiment: 'full default experiment (GD and GD+M, T = 1500) in the worker <= 3 s on the best backend',
  cli: 'full default experiment in Node via the CLI <= 5 s',
  stepsPerSecond: 'no direct target; the 3 s experiment target implies >= 500 pair steps/s at the default size (plus start-up)',
  frames: 'main thread while training: p95 frame interval <= 20 ms',
  firstRow: 'first figure drawn from the precomputed trace <= 1 s after navigation (local preview server)',
  slider: 'slider release -> first frame of the new run <= 150 ms',
  bundle: 'gzip size: main chunk <= 120 KB, worker chunk <= 200 KB',
  engines: 'Firefox and WebKit train at no less than half Chromium’s pair steps/s',
  lighthouse: 'Lighthouse mobile (built site served with gzip): performance >= 90 on the page and on an embed; accessibility, best practices, SEO 100',
};
export const BUNDLE_LIMITS_KB = { main: 120, worker: 200 };

/**
 * CPU time used by processes that are not this benchmark's (its Chromium and tsx children are
 * descendants of this process): on a 2-core machine a test run or a build next to the benchmark
 * slows every figure. Linux /proc only; processes that live less than a sampling interval are missed.
 */
export class ForeignCpu {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private readonly mine = new Set<number>([process.pid]);
  private sampled = false;
  private readonly timer: NodeJS.Timeout;
  private readonly tick = Number(process.env.CLK_TCK ?? 100);

  constructor() {
    this.sample();
    this.timer = setInterval(() => this.sample(), 1000);
    this.timer.unref();
  }

  private sample(): void {
    let pids: number[];
    try {
      pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number);
    } catch {
      return;
    }
    const parent = new Map<number, number>();
    const cpu = new Map<number, number>();
    for (const pid of pids) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        parent.set(pid, Number(f[1]));
        cpu.set(pid, (Number(f[11]) + Number(f[12])) / this.tick);
      } catch {
        // gone in between
      }
    }
    for (const pid of cpu.keys()) {
      for (let p = pid, hops = 0; p > 1 && hops < 50; p = parent.get(p) ?? 0, hops++) {
        if (this.mine.has(p)) {
          this.mine.add(pid);
          break;
        }
      }
    }
    for (const [pid, seconds] of cpu) {
      if (!this.first.has(pid)) this.first.set(pid, this.sampled ? 0 : seconds);
      this.last.set(pid, seconds);
    }
    this.sampled = true;
  }

  /** CPU seconds used by other processes since the start. */
  seconds(): number {
    this.sample();
    let sum = 0;
    for (const [pid, seconds] of this.last) if (!this.mine.has(pid)) sum += seconds - (this.first.get(pid) ?? 0);
    return sum;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

export interface SectionRecord {
  part: string;
  seconds: number | null;
  otherProcessesCpuSeconds: number | null;
  otherProcessesCores: number | null;
}

/** Wall time and other processes' CPU time per part of a benchmark. */
export class Sections {
  readonly records: SectionRecord[] = [];
  private readonly foreign = new ForeignCpu();
  private current: { part: string; at: number; cpu: number } | null = null;

  /** Close the current part and start `part` (null: just close). */
  enter(part: string | null): void {
    const now = performance.now();
    const cpu = this.foreign.seconds();
    if (this.current) {
      const wall = (now - this.current.at) / 1000;
      const other = cpu - this.current.cpu;
      this.records.push({ part: this.current.part, seconds: round(wall), otherProcessesCpuSeconds: round(other, 2), otherProcessesCores: round(other / wall, 2) });
    }
    this.current = part ? { part, at: now, cpu } : null;
  }

  /** Close everything; the summary for the JSON (and a warning where others used the CPU). */
  finish(): { otherProcesses: { note: string; sections: SectionRecord[] }; warning?: string } {
    this.enter(null);
    this.foreign.stop();
    const busy = this.records.filter((x) => (x.otherProcessesCores ?? 0) > 0.1);
    return {
      otherProcesses: {
        note: 'CPU time of processes outside this benchmark (sampled from /proc each second), per part; on 2 cores anything above ~0.1 core slows the figures',
        sections: this.records,
      },
      ...(busy.length
        ? { warning: `other processes used CPU during ${busy.map((x) => `${x.part} (${x.otherProcessesCores} cores)`).join(', ')}: those figures are pessimistic; rerun on a quiet machine` }
        : {}),
    };
  }
}
