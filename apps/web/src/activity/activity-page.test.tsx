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

it('names an email’s events in words and leaves the ids Relance keeps for itself off the line', () => {
  const sent = {
    ...event('e1', 'email.sent', '2025-11-03T04:30:00Z'),
    source: 'email',
    properties: {
      topic: 'orders',
      nodeId: 'send_thanks',
      subject: 'Thanks Ana, we got order ORD-2001',
      journeyId: 'd788c766-59cb-4343-9642-aca574bef5bb',
      messageId: '911a4baf-e4ce-45fc-b4df-c5b70798c87d',
      templateId: '2feb95f9-fe73-44ed-abde-fb8f277e9680',
    },
  };
  const unsubscribed = {
    ...event('e2', 'email.unsubscribed', '2025-11-03T04:31:00Z'),
    source: 'email',
    properties: { scope: 'topic', topic: 'orders', source: 'unsubscribe_page' },
  };
  const html = renderForTest(<ActivityPage />, {
    timezone: 'UTC',
    path: '/activity',
    queries: [
      [
        ['activity', ''],
        onePage({
          events: [sent, unsubscribed, event('e3', 'order.completed', '2025-11-03T04:32:00Z')],
          nextCursor: null,
        }),
      ],
    ],
  });
  expect(html).toContain('<th scope="row">Was sent an email</th>');
  expect(html).toContain('<th scope="row">Unsubscribed</th>');
  expect(html).toContain('<option value="email.sent">Was sent an email</option>');
  expect(html).not.toContain('<code>email.sent</code>');
  expect(html).toContain(
    '<summary>subject: &quot;Thanks Ana, we got order ORD-2001&quot; · topic: &quot;orders&quot;</summary>',
  );
  // The ids stay in the full list, a click away.
  expect(html).toContain('&quot;journeyId&quot;: &quot;d788c766-59cb-4343-9642-aca574bef5bb&quot;');
  // The site's own events keep the names its tracking code writes.
  expect(html).toContain('<code>order.completed</code>');
});

it('lists the event filter in the order of the words it shows, not of the names behind them', () => {
  const html = renderForTest(<ActivityPage />, {
    timezone: 'UTC',
    path: '/activity',
    queries: [
      [
        ['activity', ''],
        onePage({
          events: [
            'email.sent',
            '$identify',
            'order.completed',
            'email.opened',
            'Added to cart',
          ].map((name, i) => event(`e${i}`, name, '2025-11-03T04:30:00Z')),
          nextCursor: null,
        }),
      ],
    ],
  });
  const shown = [...html.matchAll(/<option value="([^"]+)">([^<]*)<\/option>/g)].map((m) => m[2]);
  expect(shown).toEqual([
    'Added to cart',
    'Identified',
    'Opened an email',
    'order.completed',
    'Was sent an email',
  ]);
});
