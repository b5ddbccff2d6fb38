import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { renderForTest } from '../lib/render-for-test';
import { LatestOrders } from './report-page';

// A marketer in Paris looking at a workspace set to New York time.
beforeAll(() => vi.stubEnv('TZ', 'Europe/Paris'));
afterAll(() => vi.unstubAllEnvs());

it('gives when an order was placed on the workspace’s clock and names its zone', () => {
  const html = renderForTest(
    <LatestOrders
      orders={[
        {
          eventId: 'o1',
          contactId: 'c1',
          contact: 'ada@example.com',
          value: 42,
          at: '2025-11-03T04:30:00Z',
        } as never,
      ]}
    />,
    { timezone: 'America/New_York' },
  );
  // 05:30 on the 3rd in Paris; 23:30 on the 2nd in New York.
  expect(html).toContain('title="2 Nov 2025, 23:30 (America/New_York)"');
});

it('names each order by its number, and says when one came without', () => {
  const html = renderForTest(
    <LatestOrders
      orders={[
        { eventId: 'e1', orderId: 'A-1042', contactId: 'c1', contact: 'ada@example.com' },
        { eventId: 'e2', orderId: null, contactId: 'c2', contact: 'bob@example.com' },
      ].map((order) => ({ ...order, value: 42, at: '2025-11-03T04:30:00Z', messageId: 'm' }))}
    />,
    { timezone: 'UTC' },
  );
  expect(html).toContain('<th scope="col">Order</th>');
  expect(html).toContain('<td>A-1042</td>');
  expect(html).toContain('title="No order number came with this order">—</span>');
});
