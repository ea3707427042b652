/**
 * Gzip sizes of a production build: every JS chunk, stylesheet and wasm file in its assets folder
 * (fonts left out), each labelled (main = the entry script index.html loads), with the targets
 * of shared/design.md for the main and worker chunks. Sizes are gzipSync at the default level, as
 * a static server compresses them.
 */
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { BUNDLE_LIMITS_KB, TARGETS } from './common';

/** kB of 1000 bytes, as Vite's build report prints them. */
const kb = (bytes: number) => Math.round(bytes / 100) / 10;

/** What a built file is, from its name (Vite: `<name>-<hash>.<ext>`). */
function label(file: string, entry: string | null): string {
  if (file === entry) return 'main';
  const name = file.replace(/-[\w-]{8}\.\w+$/, '');
  if (name === 'engine.worker') return 'worker';
  if (name === 'sweep.worker') return 'sweep worker';
  return name;
}

export function bundleSizes(dir: string) {
  const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
  const entry = /<script[^>]*type="module"[^>]*src="[^"]*\/([^"/]+\.js)"/.exec(html)?.[1] ?? null;
  const assets = path.join(dir, 'assets');
  const files = readdirSync(assets)
    .filter((f) => /\.(js|css|wasm)$/.test(f))
    .map((file) => {
      const raw = readFileSync(path.join(assets, file));
      return { file, chunk: label(file, entry), kind: path.extname(file).slice(1), rawKB: kb(raw.length), gzipKB: kb(gzipSync(raw).length) };
    })
    .sort((a, b) => a.kind.localeCompare(b.kind) || b.gzipKB - a.gzipKB);
  const of = (chunk: string) => files.find((f) => f.chunk === chunk)?.gzipKB ?? null;
  const check = (chunk: 'main' | 'worker') => {
    const gzipKB = of(chunk);
    return { gzipKB, limitKB: BUNDLE_LIMITS_KB[chunk], within: gzipKB !== null && gzipKB <= BUNDLE_LIMITS_KB[chunk] };
  };
  return {
    target: TARGETS.bundle,
    dir,
    main: check('main'),
    worker: check('worker'),
    totalJsGzipKB: kb(files.filter((f) => f.kind === 'js').reduce((sum, f) => sum + f.gzipKB * 1000, 0)),
    unit: 'kB = 1000 bytes (as in Vite\'s build report)',
    files,
  };
}
