import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { onePage, renderForTest } from '../lib/render-for-test';
import { ActivityPage } from './activity-page';

// A marketer in Paris looking at a workspace set to New York time.
beforeAll(() => vi.stubEnv('TZ', 'Europe/Paris'));
afterAll(() => vi.unstubAllEnvs());

it('gives when an event happened on the workspace’s clock and names its zone', () => {
  const html = renderForTest(<ActivityPage />, {
    timezone: 'America/New_York',
    path: '/activity',
    queries: [
      [
        ['activity', ''],
        onePage({
          events: [
            {
              id: 'e1',
              name: 'order.completed',
              occurredAt: '2025-11-03T04:30:00Z',
              contact: { id: 'c1', email: 'ada@example.com', externalId: null },
              properties: {},
              source: 'api',
            },
          ],
          nextCursor: null,
        }),
      ],
    ],
  });
  // 05:30 on the 3rd in Paris; 23:30 on the 2nd in New York.
  expect(html).toContain('title="2 Nov 2025, 23:30 (America/New_York)"');
});
