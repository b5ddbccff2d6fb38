import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { backlogText, backlogTone, type DispatchBacklog } from './journey-deliveries';
import { zoneTime } from './workspace';

// A marketer in Paris looking at a workspace set to New York time.
beforeAll(() => vi.stubEnv('TZ', 'Europe/Paris'));
afterAll(() => vi.unstubAllEnvs());

const none = { dispatches: 0, stuck: 0, events: 0, segmentChanges: 0, contactChanges: 0 };
const ny = zoneTime('America/New_York');
const at = '2025-11-03T04:30:00Z';

it.each<[string, DispatchBacklog, string]>([
  ['nothing waits', { pending: 0, stuck: 0, oldestAt: null, dispatches: none }, 'Up to date'],
  [
    'starts and signals wait for Temporal',
    { pending: 2, stuck: 0, oldestAt: at, dispatches: none },
    '2 journey starts and signals wait for Temporal, the oldest since 2 Nov 2025, 23:30 (America/New_York); the worker retries them',
  ],
  [
    'one event was not handed over',
    { pending: 1, stuck: 0, oldestAt: at, dispatches: { ...none, dispatches: 1, events: 1 } },
    '1 event has not reached the journeys yet: the database failed when it was handed over, the oldest since 2 Nov 2025, 23:30 (America/New_York); the worker retries them',
  ],
  [
    'both, some failing repeatedly',
    {
      pending: 2,
      stuck: 2,
      oldestAt: at,
      dispatches: {
        dispatches: 3,
        stuck: 1,
        events: 1_200,
        segmentChanges: 2,
        contactChanges: 1,
      },
    },
    '1 journey start or signal waits for Temporal (1 failing repeatedly); 1,200 events, 2 segment entries and exits and 1 contact update have not reached the journeys yet: the database failed when they were handed over (failing repeatedly), the oldest since 2 Nov 2025, 23:30 (America/New_York); the worker retries them',
  ],
])('Journey deliveries when %s', (_, backlog, text) => {
  expect(backlogText(backlog, ny)).toBe(text);
});

it('is a problem when something keeps failing, a warning while it is retried on schedule', () => {
  const kept = { ...none, dispatches: 1, events: 1 };
  expect(backlogTone({ pending: 0, stuck: 0, oldestAt: null, dispatches: none })).toBe('ok');
  expect(backlogTone({ pending: 1, stuck: 0, oldestAt: at, dispatches: kept })).toBe('warn');
  expect(
    backlogTone({ pending: 0, stuck: 1, oldestAt: at, dispatches: { ...kept, stuck: 1 } }),
  ).toBe('bad');
});
