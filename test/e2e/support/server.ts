/** A production build served by `vite preview` on a free local port. */
import { type PreviewServer, build, preview } from 'vite';
import { writePrecomputed } from '../../../src/cli/precompute';

/**
 * The production build, as `npm run build` makes it: first the precomputed default run into
 * public/precomputed/ (the same function `npm run precompute` calls), then Vite. `base` is Vite's
 * base path (BASE in `npm run build`; default './', relative).
 */
export async function buildSite(outDir = 'dist', base?: string): Promise<void> {
  await writePrecomputed();
  // Under Vitest NODE_ENV is 'test', which would make Vite bundle React's development build:
  // test what users get.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ logLevel: 'warn', mode: 'production', ...(base ? { base } : {}), build: { outDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

/**
 * Build into `outDir` and serve it. A folder of its own lets a benchmark run beside the end-to-end
 * tests without either swapping the page under the other.
 */
export async function buildAndPreview(outDir = 'dist'): Promise<{ url: string; close: () => Promise<void> }> {
  await buildSite(outDir);
  const server: PreviewServer = await preview({ build: { outDir }, preview: { port: 0, host: '127.0.0.1', open: false }, logLevel: 'warn' });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  return { url, close: () => server.close() };
}
