import { defineConfig } from 'vitest/config';
import { TEX_MODULE } from './build/tex-prerender';

export default defineConfig({
  // The build typesets constant TeX ahead (build/tex-prerender.ts); tests typeset on demand as before.
  plugins: [{ name: 'tex-prerender-empty', resolveId: (id) => (id === TEX_MODULE ? `\0${TEX_MODULE}` : null), load: (id) => (id === `\0${TEX_MODULE}` ? 'export default {};' : null) }],
  test: {
    // Training runs are real; give them room on a 2-core machine, never use timing as an assertion.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**'], environment: 'node', maxWorkers: 2 },
      },
      {
        // Panels and controls rendered in jsdom from real (small) traces.
        extends: true,
        test: { name: 'component', include: ['test/components/**/*.test.tsx'], environment: 'jsdom', maxWorkers: 2 },
      },
      {
        // Real Chromium against the production build: one file at a time, one build for all.
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/e2e/support/global-setup.ts'],
          fileParallelism: false,
        },
      },
    ],
  },
});
