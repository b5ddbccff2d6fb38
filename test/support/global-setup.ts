import type { TestProject } from 'vitest/node';
import { startTestServices, type TestServices } from './stack';

declare module 'vitest' {
  export interface ProvidedContext {
    services: TestServices;
    timeSkippingServer: string;
  }
}

/** Integration and end-to-end runs: one real PostgreSQL and one real Temporal dev server. */
export default async function setup(project: TestProject) {
  const stack = await startTestServices({ temporal: true });
  project.provide('services', stack.provided);
  return () => stack.stop();
}
