import { defineConfig } from 'vitest/config';

// Three kinds of test, three projects:
//  unit         pure logic, next to the code (*.test.ts), no services
//  integration  real Postgres and a real Temporal dev server, started once by the global setup
//  workflows    Temporal's time-skipping test server; one file at a time
//  e2e          the real stack in a real browser (Debian's Chromium via playwright-core)
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{packages,workflows,activities,apps,infra}/**/src/**/*.test.{ts,tsx}'],
          exclude: ['**/node_modules/**', '**/*.int.test.ts', '**/*.wf.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['**/src/**/*.int.test.ts', 'test/integration/**/*.test.ts'],
          exclude: ['**/node_modules/**'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'workflows',
          include: ['**/src/**/*.wf.test.ts', 'test/workflows/**/*.test.ts'],
          exclude: ['**/node_modules/**'],
          globalSetup: ['test/support/global-setup-time-skipping.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: ['**/node_modules/**'],
          globalSetup: ['test/support/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
