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

/**
 * tfjs's packages are CommonJS. Imported from ESM, Node first scans each one with cjs-module-lexer
 * for its export names: 2.1 MB of tfjs-core, -backend-cpu and -backend-wasm took ~300 ms of the
 * process (import 400-490 ms against require 115-130 ms for core + wasm, Node 20, a loaded 2-core
 * machine). The bundle requires them instead, through createRequire, and lexes nothing.
 */
const requireTfjs = {
  name: 'require-tfjs',
  setup(build) {
    build.onResolve({ filter: /^@tensorflow\// }, (args) =>
      args.namespace === 'require-tfjs' ? { path: args.path, external: true } : { path: args.path, namespace: 'require-tfjs' },
    );
    build.onLoad({ filter: /.*/, namespace: 'require-tfjs' }, (args) => ({
      contents: `module.exports = __nodeRequire(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

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
    plugins: [requireTfjs],
    banner: { js: "import { createRequire as __createRequire } from 'node:module';\nconst __nodeRequire = __createRequire(import.meta.url);" },
    // import.meta.env is Vite's; the CLI's modules never read it, but keep it defined.
    define: { 'import.meta.env': '{}' },
  });
  const inputs = [...Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('<') && !f.startsWith('require-tfjs:')), 'scripts/sim.mjs', 'package.json'];
  fs.writeFileSync(inputsFile, JSON.stringify({ node: process.version, esbuild: esbuild.version, inputs }, null, 1));
}

if (stale()) await buildCli();
if (process.argv[2] !== '--build-only') await import(pathToFileURL(entry).href);
