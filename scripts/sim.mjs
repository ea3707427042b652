#!/usr/bin/env node
/**
 * `npm run sim`: runs the prebuilt CLI (dist-cli/sim.mjs, bundled from src/cli/sim.ts by esbuild,
 * node_modules left external) instead of compiling TypeScript at every start. The bundle is built
 * here when it is missing or stale: any of its source files (listed by esbuild in
 * dist-cli/inputs.json) newer than the bundle, or another esbuild/Node. Building takes a few hundred
 * milliseconds; checking costs a few dozen stat calls. `node scripts/sim.mjs --build-only` only builds.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'dist-cli');
const entry = path.join(outDir, 'sim.mjs');
const inputsFile = path.join(outDir, 'inputs.json');

function stale() {
  let built;
  try {
    built = JSON.parse(fs.readFileSync(inputsFile, 'utf8'));
    if (built.node !== process.version) return true;
    const at = fs.statSync(entry).mtimeMs;
    return built.inputs.some((file) => {
      try {
        return fs.statSync(path.join(root, file)).mtimeMs > at;
      } catch {
        return true;
      }
    });
  } catch {
    return true;
  }
}

async function buildCli() {
  const esbuild = await import('esbuild');
  fs.rmSync(outDir, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { sim: 'src/cli/sim.ts' },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    metafile: true,
    logLevel: 'warning',
    // import.meta.env is Vite's; the CLI's modules never read it, but keep it defined.
    define: { 'import.meta.env': '{}' },
  });
  const inputs = [...Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('<')), 'scripts/sim.mjs', 'package.json'];
  fs.writeFileSync(inputsFile, JSON.stringify({ node: process.version, esbuild: esbuild.version, inputs }, null, 1));
}

if (stale()) await buildCli();
if (process.argv[2] !== '--build-only') await import(pathToFileURL(entry).href);
