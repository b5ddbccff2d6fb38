import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { zoneTime } from '../lib/workspace';
import { backlogText } from './settings';

// A marketer in Paris looking at a workspace set to New York time.
beforeAll(() => vi.stubEnv('TZ', 'Europe/Paris'));
afterAll(() => vi.unstubAllEnvs());

it('says since when journey deliveries wait on the workspace’s clock, naming its zone', () => {
  expect(
    backlogText(
      { pending: 2, stuck: 0, oldestAt: '2025-11-03T04:30:00Z' },
      zoneTime('America/New_York'),
    ),
  ).toBe(
    '2 journey starts and signals wait for Temporal, the oldest since 2 Nov 2025, 23:30 (America/New_York); the worker retries them',
  );
});
