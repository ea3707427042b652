import type { TestProject } from 'vitest/node';
import { buildAndPreview } from './server';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

/**
 * Build the page once and serve it for every end-to-end test file. E2E_DIST names another output
 * folder, so two test runs (or a test run and a benchmark) never swap the page under each other.
 */
export default async function setup(project: TestProject) {
  const server = await buildAndPreview(process.env.E2E_DIST || 'dist');
  project.provide('baseUrl', server.url);
  return () => server.close();
}
