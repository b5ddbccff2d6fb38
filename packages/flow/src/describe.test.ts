import { describe, expect, it } from 'vitest';
import type { DescribeContext } from './common';
import type { Condition } from './condition';
import { describeCondition, describeFilter } from './describe-condition';
import { describeNode } from './registry';

const ctx: DescribeContext = {
  segmentName: (id) => ({ seg_react: 'Reactivation', seg_active: 'Active' })[id],
  templateName: (id) => ({ tpl_tips: 'Your order tips' })[id],
};

describe('describeNode', () => {
  it.each([
    ['wait.delay', { duration: '3d' }, 'Wait 3 days'],
    ['wait.delay', { duration: 'P1W' }, 'Wait 1 week'],
    ['wait.delay', { duration: '2mo' }, 'Wait 2 months'],
    ['trigger.event', { event: '$identify' }, 'When a contact is identified'],
    [
      'trigger.date',
      { property: 'renews_on', offset: '-1y', at: '09:00', repeat: 'once' },
      '1 year before renews_on at 09:00',
    ],
    ['wait.delay', { duration: '90m' }, 'Wait 1 hour 30 minutes'],
    ['action.send_email', { templateId: 'tpl_tips' }, "Send 'Your order tips'"],
    ['action.send_email', { templateId: 'tpl_unknown' }, "Send 'tpl_unknown'"],
    [
      'logic.condition',
      {
        condition: { kind: 'email', action: 'clicked', op: 'at_least', count: 1, within: '15d' },
      },
      'If clicked any email in the last 15 days',
    ],
    ['action.segment', { add: ['seg_react'] }, 'Add to Reactivation'],
    ['action.segment', { remove: ['seg_active'] }, 'Remove from Active'],
    [
      'action.segment',
      { add: ['seg_react'], remove: ['seg_active'] },
      'Move from Active to Reactivation',
    ],
    ['trigger.event', { event: 'order.completed' }, 'When order.completed happens'],
    [
      'trigger.event',
      {
        event: 'order.completed',
        where: { kind: 'property', property: 'total', op: 'gte', value: 100 },
        entryKey: 'orderId',
      },
      'When order.completed happens where total is at least 100 (once per orderId)',
    ],
    [
      'trigger.event',
      { event: 'email.opened', humanOnly: true },
      'When a contact opens an email, counting only opens by a person',
    ],
    [
      'wait.event',
      { event: 'email.clicked', humanOnly: true, timeout: '7d' },
      'Wait up to 1 week for the contact to click an email, counting only clicks by a person',
    ],
    ['trigger.segment_entered', { segmentId: 'seg_react' }, 'When a contact enters Reactivation'],
    ['trigger.segment_exited', { segmentId: 'seg_active' }, 'When a contact leaves Active'],
    ['trigger.date', { property: 'birthday' }, 'On birthday at 09:00, every year'],
    [
      'trigger.date',
      { property: 'renews_on', offset: '-3d', at: '10:00', repeat: 'once' },
      '3 days before renews_on at 10:00',
    ],
    ['trigger.manual', {}, 'When enrolled by hand or through the API'],
    ['wait.until', { time: '09:00' }, 'Wait until 09:00'],
    [
      'wait.until',
      { time: '09:00', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'] },
      'Wait until 09:00 on a weekday',
    ],
    [
      'wait.until',
      { time: '18:30', weekdays: ['fri', 'mon'] },
      'Wait until 18:30 on Monday or Friday',
    ],
    [
      'wait.event',
      { event: 'email.clicked', timeout: '3d' },
      'Wait up to 3 days for the contact to click an email',
    ],
    [
      'wait.condition',
      { condition: { kind: 'segment', op: 'in', segmentId: 'seg_active' }, timeout: '2d' },
      'Wait up to 2 days until is in Active',
    ],
    [
      'logic.switch',
      {
        cases: [
          { id: 'books', label: 'Books', condition: { kind: 'tag', op: 'has', tag: 'books' } },
          { id: 'music', condition: { kind: 'tag', op: 'has', tag: 'music' } },
        ],
      },
      'Branch: Books, music or otherwise',
    ],
    [
      'logic.split',
      {
        branches: [
          { id: 'a', label: 'A', percent: 45 },
          { id: 'b', label: 'B', percent: 45 },
          { id: 'holdout', label: 'Holdout', percent: 10 },
        ],
      },
      'Split randomly: 45% A, 45% B, 10% Holdout',
    ],
    [
      'logic.goal',
      { condition: { kind: 'event_count', event: 'order.completed', op: 'at_least', count: 1 } },
      'Goal: did order.completed, then exit',
    ],
    ['logic.exit', {}, 'Exit'],
    ['action.tag', { add: ['vip'] }, "Tag 'vip'"],
    ['action.tag', { remove: ['lead', 'cold'] }, "Remove tags 'lead' and 'cold'"],
    ['action.tag', { add: ['customer'], remove: ['lead'] }, "Tag 'customer', remove tag 'lead'"],
    ['action.set_property', { property: 'plan', value: 'pro' }, "Set plan to 'pro'"],
    ['action.set_property', { property: 'trial', value: false }, 'Set trial to false'],
    ['action.set_property', { property: 'plan', value: null }, 'Clear plan'],
    ['action.score', { delta: 10 }, 'Raise score by 10'],
    ['action.score', { delta: -3 }, 'Lower score by 3'],
    [
      'action.webhook',
      { url: 'https://hooks.example.com/lead?x=1', save: [{ path: 'a', property: 'b' }] },
      'Call POST hooks.example.com and save 1 field',
    ],
    [
      'action.notify',
      { to: 'sales@example.com', subject: 'Hot lead' },
      "Notify sales@example.com: 'Hot lead'",
    ],
  ])('%s %j → %s', (kind, config, sentence) => {
    expect(describeNode({ kind, config }, ctx)).toBe(sentence);
  });

  it.each([
    ['action.send_email', {}, 'Send email'],
    ['wait.delay', { duration: 'soon' }, 'Wait'],
    ['no.such_kind', {}, 'no.such_kind'],
  ])('falls back to the label for an incomplete %s', (kind, config, label) => {
    expect(describeNode({ kind, config })).toBe(label);
  });
});

describe('describeCondition', () => {
  it.each([
    [{ kind: 'tag', op: 'lacks', tag: 'vip' }, "lacks tag 'vip'"],
    [{ kind: 'score', op: 'lt', value: 5 }, 'score is less than 5'],
    [
      { kind: 'property', property: 'plan', op: 'in', value: ['pro', 'team'] },
      "plan is 'pro' or 'team'",
    ],
    [{ kind: 'property', property: 'phone', op: 'not_exists' }, 'phone is not set'],
    [
      { kind: 'property', property: 'signed_up_at', op: 'within_last', value: '30d' },
      'signed_up_at is within the last 30 days',
    ],
    [
      // Years and months read as written, not in days.
      { kind: 'property', property: 'subscribed_at', op: 'more_than_ago', value: '2y' },
      'subscribed_at is more than 2 years ago',
    ],
    [
      { kind: 'property', property: 'subscribed_at', op: 'more_than_ago', value: '24mo' },
      'subscribed_at is more than 24 months ago',
    ],
    [
      { kind: 'email', action: 'opened', op: 'at_least', count: 1, within: '1y' },
      'opened any email in the last year',
    ],
    [
      { kind: 'property', property: '$created_at', op: 'within_last', value: '30d' },
      'date added is within the last 30 days',
    ],
    [
      { kind: 'property', property: '$lifecycle_stage', op: 'eq', value: 'customer' },
      "lifecycle stage is 'customer'",
    ],
    [{ kind: 'property', property: '$email', op: 'exists' }, 'email is set'],
    [{ kind: 'property', property: '$unknown_field', op: 'exists' }, '$unknown_field is set'],
    [
      { kind: 'property', property: 'birthday', op: 'anniversary_in', days: 1 },
      'birthday has its anniversary in 1 day',
    ],
    [
      { kind: 'property', property: 'birthday', op: 'anniversary_within', days: 7 },
      'birthday is in the next 7 days',
    ],
    [
      { kind: 'property', property: 'birthday', op: 'anniversary_within', days: 1 },
      'birthday is today or tomorrow',
    ],
    [
      { kind: 'property', property: 'birthday', op: 'anniversary_within', days: 0 },
      'birthday is today',
    ],
    [
      { kind: 'email', action: 'clicked', op: 'exactly', count: 0, within: '15d' },
      'did not click any email in the last 15 days',
    ],
    [
      { kind: 'email', action: 'opened', op: 'at_least', count: 3, within: '30d' },
      'opened at least 3 emails in the last 30 days',
    ],
    [
      { kind: 'email', action: 'opened', op: 'at_least', count: 1, templateId: 'tpl_tips' },
      "opened 'Your order tips'",
    ],
    [
      { kind: 'email', action: 'opened', op: 'at_least', count: 1, within: '90d', humanOnly: true },
      'opened any email in the last 90 days, counting only opens by a person',
    ],
    [
      { kind: 'email', action: 'clicked', op: 'exactly', count: 0, humanOnly: true },
      'did not click any email, counting only clicks by a person',
    ],
    [
      { kind: 'email', action: 'opened', op: 'at_least', count: 2, humanOnly: false },
      'opened at least 2 emails',
    ],
    [
      { kind: 'event_count', event: 'page.viewed', op: 'at_least', count: 5, within: '1w' },
      'did page.viewed at least 5 times in the last week',
    ],
    [
      { kind: 'event_count', event: 'order.completed', op: 'at_most', count: 0 },
      'did not do order.completed',
    ],
    [
      {
        kind: 'event_last',
        event: 'email.clicked',
        op: 'more_than',
        duration: '15d',
        includeNever: true,
      },
      'last clicked an email more than 15 days ago, or never and joined more than 15 days ago',
    ],
    [
      {
        kind: 'event_last',
        event: 'page.viewed',
        op: 'within',
        duration: '2d',
        includeNever: true,
      },
      'did page.viewed in the last 2 days',
    ],
    [
      {
        kind: 'event_last',
        event: 'email.clicked',
        op: 'more_than',
        duration: '15d',
        includeNever: true,
        humanOnly: true,
      },
      'last clicked an email more than 15 days ago, or never and joined more than 15 days ago, counting only clicks by a person',
    ],
    [
      {
        kind: 'event_last',
        event: 'email.opened',
        op: 'within',
        duration: '7d',
        includeNever: true,
        humanOnly: true,
      },
      'opened an email in the last week, counting only opens by a person',
    ],
    [
      {
        kind: 'event_aggregate',
        event: 'order.completed',
        property: 'total',
        fn: 'sum',
        op: 'gt',
        value: 500,
        within: 'P1Y',
      },
      // Without the workspace's order event, order.completed is one of its events.
      'total of order.completed events in the last year is more than 500',
    ],
    [{ kind: 'segment', op: 'not_in', segmentId: 'seg_react' }, 'is not in Reactivation'],
    [
      {
        kind: 'all',
        conditions: [
          { kind: 'tag', op: 'has', tag: 'a' },
          {
            kind: 'any',
            conditions: [
              { kind: 'score', op: 'gt', value: 1 },
              { kind: 'tag', op: 'has', tag: 'b' },
            ],
          },
        ],
      },
      "has tag 'a' and (score is more than 1 or has tag 'b')",
    ],
    [{ kind: 'not', condition: { kind: 'tag', op: 'has', tag: 'a' } }, "not (has tag 'a')"],
  ] as [Condition, string][])('%j → %s', (condition, sentence) => {
    expect(describeCondition(condition, ctx)).toBe(sentence);
  });
});

describe('brackets in rule sentences', () => {
  const names: DescribeContext = {
    segmentName: (id) => ({ benelux: 'Benelux and France', vip: 'VIP' })[id],
  };
  const country: Condition = {
    kind: 'property',
    property: 'country',
    op: 'in',
    value: ['France', 'Belgium'],
  };
  it.each([
    [{ kind: 'all', conditions: [country] }, "country is 'France' or 'Belgium'"],
    [
      { kind: 'any', conditions: [{ kind: 'all', conditions: [country] }] },
      "country is 'France' or 'Belgium'",
    ],
    [
      {
        kind: 'all',
        conditions: [
          { kind: 'segment', op: 'in', segmentId: 'benelux' },
          { kind: 'segment', op: 'not_in', segmentId: 'vip' },
        ],
      },
      'is in Benelux and France and is not in VIP',
    ],
    [
      {
        kind: 'all',
        conditions: [
          {
            kind: 'any',
            conditions: [
              { kind: 'segment', op: 'in', segmentId: 'benelux' },
              { kind: 'tag', op: 'has', tag: 'b' },
            ],
          },
        ],
      },
      "is in Benelux and France or has tag 'b'",
    ],
    [
      {
        kind: 'any',
        conditions: [
          { kind: 'tag', op: 'has', tag: 'a' },
          {
            kind: 'all',
            conditions: [
              { kind: 'all', conditions: [country, { kind: 'tag', op: 'has', tag: 'b' }] },
            ],
          },
        ],
      },
      "has tag 'a' or (country is 'France' or 'Belgium' and has tag 'b')",
    ],
  ] as [Condition, string][])('%j → %s', (condition, sentence) => {
    expect(describeCondition(condition, names)).toBe(sentence);
  });

  it('an event filter of one list has none either', () => {
    expect(
      describeFilter({
        kind: 'all',
        conditions: [{ kind: 'property', property: 'currency', op: 'in', value: ['EUR', 'USD'] }],
      }),
    ).toBe("currency is 'EUR' or 'USD'");
  });
});

describe('events in words', () => {
  const shop: DescribeContext = { ...ctx, orderEvent: 'order.completed' };

  it.each([
    ['trigger.event', { event: 'email.clicked' }, 'When a contact clicks an email'],
    ['trigger.event', { event: 'form.submitted' }, 'When a contact submits a signup form'],
    [
      'trigger.event',
      {
        event: 'order.completed',
        where: { kind: 'property', property: 'total', op: 'gte', value: 100 },
        entryKey: 'orderId',
      },
      'When a contact places an order where total is at least 100 (once per orderId)',
    ],
    [
      'wait.event',
      { event: 'order.completed', timeout: '7d' },
      'Wait up to 1 week for the contact to place an order',
    ],
    ['trigger.event', { event: 'page.viewed' }, 'When page.viewed happens'],
    ['wait.event', { event: 'page.viewed', timeout: '1d' }, 'Wait up to 1 day for page.viewed'],
  ])(
    'the workspace’s order event and Relance’s own read as words: %s %j',
    (kind, config, sentence) => {
      expect(describeNode({ kind, config }, shop)).toBe(sentence);
    },
  );

  it('says conditions on them in words, and keeps a custom event as written', () => {
    const none = {
      kind: 'event_count',
      event: 'order.completed',
      op: 'at_most',
      count: 0,
    } as const;
    expect(describeCondition(none, shop)).toBe('did not place an order');
    expect(describeCondition({ ...none, op: 'at_least', count: 2, within: '30d' }, shop)).toBe(
      'placed an order at least 2 times in the last 30 days',
    );
    // Another workspace's orders are `purchase`: its order.completed is just an event.
    expect(describeCondition(none, { orderEvent: 'purchase' })).toBe('did not do order.completed');
    // Totals and averages name them the same way.
    const spent = {
      kind: 'event_aggregate',
      event: 'order.completed',
      property: 'amount',
      fn: 'sum',
      op: 'gt',
      value: 500,
      within: 'P1Y',
    } as const;
    expect(describeCondition(spent, shop)).toBe(
      'total amount of orders placed in the last year is more than 500',
    );
    expect(describeCondition({ ...spent, property: 'total', fn: 'avg', within: '30d' }, shop)).toBe(
      'average total of orders placed in the last 30 days is more than 500',
    );
    expect(describeCondition({ ...spent, property: 'total', within: undefined }, shop)).toBe(
      'total of orders placed is more than 500',
    );
    expect(
      describeCondition({ ...spent, event: 'form.submitted', property: 'seats', fn: 'max' }, shop),
    ).toBe(
      'largest seats of the times they submitted a signup form in the last year is more than 500',
    );
    expect(
      describeCondition({ ...spent, fn: 'min', sinceEntry: true, within: undefined }, {}),
    ).toBe(
      'smallest amount of order.completed events since they entered the journey is more than 500',
    );
    expect(describeNode({ kind: 'logic.condition', config: { condition: spent } }, shop)).toBe(
      'If total amount of orders placed in the last year is more than 500',
    );
    // In a journey, counted from the contact's entry.
    expect(describeCondition({ ...none, sinceEntry: true }, shop)).toBe(
      'did not place an order since they entered the journey',
    );
  });
});

describe('describeFilter', () => {
  it('names an event’s properties as they are, even those named like a contact field', () => {
    expect(describeFilter({ kind: 'property', property: '$score', op: 'gt', value: 3 })).toBe(
      '$score is more than 3',
    );
  });
});
