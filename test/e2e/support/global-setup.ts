import type { TestProject } from 'vitest/node';
import { buildAndPreview } from './server';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

/** Build the page once and serve it for every end-to-end test file. */
export default async function setup(project: TestProject) {
  const server = await buildAndPreview();
  project.provide('baseUrl', server.url);
  return () => server.close();
}
