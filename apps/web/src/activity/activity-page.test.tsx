import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { onePage, renderForTest } from '../lib/render-for-test';
import { ActivityPage, sourceLabel } from './activity-page';

/** A feed line of Ada's, with no properties, sent through the API. */
const event = (id: string, name: string, occurredAt: string) => ({
  id,
  name,
  occurredAt,
  contact: { id: 'c1', email: 'ada@example.com', externalId: null },
  properties: {},
  source: 'api',
});

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
          events: [event('e1', 'order.completed', '2025-11-03T04:30:00Z')],
          nextCursor: null,
        }),
      ],
    ],
  });
  // 05:30 on the 3rd in Paris; 23:30 on the 2nd in New York.
  expect(html).toContain('title="2 Nov 2025, 23:30 (America/New_York)"');
});

it('names Relance’s own events in words, in the feed and in the event filter', () => {
  const html = renderForTest(<ActivityPage />, {
    timezone: 'UTC',
    path: '/activity',
    queries: [
      [
        ['activity', ''],
        onePage({
          events: [
            event('e1', '$identify', '2025-11-03T04:30:00Z'),
            event('e2', 'order.completed', '2025-11-03T04:31:00Z'),
          ],
          nextCursor: null,
        }),
      ],
    ],
  });
  expect(html).toContain('<th scope="row">Identified</th>');
  expect(html).toContain('<option value="$identify">Identified</option>');
  expect(html).not.toContain('<code>$identify</code>');
  // Events sent to Relance keep their names, as the tracking code writes them.
  expect(html).toContain('<code>order.completed</code>');
});

it('says a teammate’s unsubscribe or resubscribe was made by hand, not by a Relance email', () => {
  const consent = (source: string) =>
    sourceLabel({ source: 'email', name: 'email.unsubscribed', properties: { source } });
  expect(consent('suppression_list')).toBe('By hand in the app');
  expect(consent('teammate')).toBe('By hand in the app');
  // The person's own click on the unsubscribe link stays Relance's email.
  expect(consent('unsubscribe_link')).toBe('Relance email');
  expect(
    sourceLabel({ source: 'email', name: 'form.submitted', properties: { formId: 'f1' } }),
  ).toBe('Signup form');
});
