import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    // Training runs are real; give them room on a 2-core machine, never use timing as an assertion.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // One file at a time per core keeps the browser tests and the engine tests from starving each other.
    maxWorkers: 2,
  },
});
