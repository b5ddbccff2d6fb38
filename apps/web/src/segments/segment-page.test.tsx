import { expect, it } from 'vitest';
import { renderForTest } from '../lib/render-for-test';
import { workspaceKey } from '../lib/workspace';
import { segmentKeys, type Segment } from './segment-api';
import { SegmentPage } from './segment-page';

it('names the workspace’s order event in words in the rule’s sentence', () => {
  const segment = {
    id: 's1',
    name: 'VIP',
    description: '',
    memberCount: 3,
    count: 3,
    share: 0.3,
    totalContacts: 10,
    warning: null,
    builtin: false,
    kind: 'dynamic',
    rule: {
      kind: 'event_aggregate',
      event: 'order.completed',
      property: 'amount',
      fn: 'sum',
      op: 'gt',
      value: 500,
      within: '365d',
    },
  } as unknown as Segment;
  const html = renderForTest(<SegmentPage id="s1" />, {
    timezone: 'UTC',
    queries: [
      [workspaceKey, { timezone: 'UTC', currency: 'EUR', conversionEvent: 'order.completed' }],
      [segmentKeys.one('s1'), segment],
    ],
  });
  expect(html).toContain('total amount of orders placed in the last 365 days is more than 500');
  expect(html).not.toContain('order.completed events');
});
