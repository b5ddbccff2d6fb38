import { NO_CLICK_FOR_15_DAYS, type Condition } from '@relance/flow';
import type { ScoreTag, ScoringRule } from './scoring';

/** A lifecycle segment every workspace starts with; `key` survives renames and edits. */
export interface BuiltinSegment {
  key: string;
  name: string;
  description: string;
  rule: Condition;
}

/** The order event the built-in segments and scoring rules read (a workspace's default order event). */
export const BUILTIN_ORDER_EVENT = 'order.completed';
const ORDER = BUILTIN_ORDER_EVENT;
const noOrder: Condition = { kind: 'event_count', event: ORDER, op: 'exactly', count: 0 };
const spent = (op: 'gte' | 'lt' | 'gt', value: number): Condition => ({
  kind: 'event_aggregate',
  event: ORDER,
  property: 'amount',
  fn: 'sum',
  op,
  value,
  within: '365d',
});

export const BUILTIN_SEGMENTS: readonly BuiltinSegment[] = [
  {
    key: 'prospects',
    name: 'Prospects',
    description: 'Contacts who have never placed an order.',
    rule: noOrder,
  },
  {
    key: 'engaged-prospects',
    name: 'Engaged prospects',
    description: 'Prospects who opened or clicked an email in the last 30 days.',
    rule: {
      kind: 'all',
      conditions: [
        noOrder,
        {
          kind: 'any',
          conditions: [
            { kind: 'email', action: 'opened', op: 'at_least', count: 1, within: '30d' },
            { kind: 'email', action: 'clicked', op: 'at_least', count: 1, within: '30d' },
          ],
        },
      ],
    },
  },
  {
    key: 'new-customers',
    name: 'New customers',
    description: 'Contacts whose first and only order was in the last 30 days.',
    rule: {
      kind: 'all',
      conditions: [
        { kind: 'event_count', event: ORDER, op: 'exactly', count: 1 },
        { kind: 'event_last', event: ORDER, op: 'within', duration: '30d', includeNever: false },
      ],
    },
  },
  {
    key: 'repeat-customers',
    name: 'Repeat customers',
    description: 'Contacts with two orders or more, the latest in the last 180 days.',
    rule: {
      kind: 'all',
      conditions: [
        { kind: 'event_count', event: ORDER, op: 'at_least', count: 2 },
        { kind: 'event_last', event: ORDER, op: 'within', duration: '180d', includeNever: false },
      ],
    },
  },
  {
    key: 'inactive-customers',
    name: 'Inactive customers',
    description: 'Customers whose latest order is more than 180 days old.',
    rule: {
      kind: 'event_last',
      event: ORDER,
      op: 'more_than',
      duration: '180d',
      includeNever: false,
    },
  },
  {
    key: 'inactive',
    name: 'Inactive',
    description:
      'No email click by a person for 15 days (clicks by link scanners do not count; counted from when they joined for contacts who never clicked).',
    // A security gateway clicks every link on delivery: counting its clicks would keep a
    // contact behind one active forever.
    rule: NO_CLICK_FOR_15_DAYS,
  },
  {
    key: 'value-high',
    name: 'High value',
    description: 'Spent 500 or more in the last year, all their orders added up.',
    rule: spent('gte', 500),
  },
  {
    key: 'value-medium',
    name: 'Medium value',
    description: 'Spent from 100 up to 500 in the last year, all their orders added up.',
    rule: { kind: 'all', conditions: [spent('gte', 100), spent('lt', 500)] },
  },
  {
    key: 'value-low',
    name: 'Low value',
    description: 'Spent something, less than 100, in the last year, all their orders added up.',
    rule: { kind: 'all', conditions: [spent('gt', 0), spent('lt', 100)] },
  },
];

/** Engagement scoring every workspace starts with (editable). */
export const BUILTIN_SCORING_RULES: readonly ScoringRule[] = [
  { name: 'Recent purchase', event: ORDER, points: 10, within: '7d' },
  { name: 'Email click', event: 'email.clicked', points: 3 },
  { name: 'Email open', event: 'email.opened', points: 1 },
  { name: 'Site visit', event: 'page.viewed', points: 1, within: '30d' },
  { name: 'Unsubscribed', event: 'email.unsubscribed', points: -5 },
];

export const BUILTIN_SCORE_TAGS: readonly ScoreTag[] = [
  { tag: 'warm-lead', minScore: 20 },
  { tag: 'hot-lead', minScore: 50 },
];
