import type { TestProject } from 'vitest/node';
import { childEnvironment, loadConfig } from '@relance/config';
import { createLog } from '@relance/infra/log';
import { findTimeSkippingServer } from '@relance/infra/test-server';
import { startTestServices } from './stack';

/**
 * Workflow runs: Temporal's time-skipping test server (provisioned from Maven Central and cached;
 * the SDK's own download when Java or Maven is missing) and a real PostgreSQL for activities.
 */
export default async function setup(project: TestProject) {
  const config = loadConfig();
  const server = await findTimeSkippingServer({
    cacheDir: config.cacheDir,
    searchPath: config.path,
    log: createLog('test-stack'),
    env: childEnvironment({}),
  });
  const stack = await startTestServices({ temporal: false });
  project.provide('services', stack.provided);
  project.provide('timeSkippingServer', server ?? '');
  return () => stack.stop();
}
