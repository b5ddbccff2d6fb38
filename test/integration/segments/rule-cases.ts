import type { Condition } from '@relance/flow';
import { EVERYONE } from './rule-fixture';

export interface RuleCase {
  name: string;
  rule: Condition;
  expected: string[];
  /** Evaluate at another instant than the fixture's NOW. */
  now?: string;
}

// Loose builders: some cases are deliberately hostile, so they bypass the schemas' types.
const p = (property: string, op: string, value?: unknown) =>
  ({ kind: 'property', property, op, value }) as unknown as Condition;
const anniversary = (property: string, days: number) =>
  ({ kind: 'property', property, op: 'anniversary_in', days }) as Condition;
const within = (property: string, days: number) =>
  ({ kind: 'property', property, op: 'anniversary_within', days }) as Condition;
const count = (event: string, op: string, n: number, extra: object = {}) =>
  ({ kind: 'event_count', event, op, count: n, ...extra }) as unknown as Condition;
const email = (action: string, op: string, n: number, extra: object = {}) =>
  ({ kind: 'email', action, op, count: n, ...extra }) as unknown as Condition;
const last = (event: string, op: string, duration: string, includeNever?: boolean) =>
  ({ kind: 'event_last', event, op, duration, includeNever }) as unknown as Condition;
const agg = (fn: string, op: string, value: number, within?: string) =>
  ({
    kind: 'event_aggregate',
    event: 'order.completed',
    property: 'amount',
    fn,
    op,
    value,
    within,
  }) as unknown as Condition;
const all = (...conditions: Condition[]): Condition => ({ kind: 'all', conditions });
const any = (...conditions: Condition[]): Condition => ({ kind: 'any', conditions });
const not = (condition: Condition): Condition => ({ kind: 'not', condition });
const but = (...keys: string[]) => EVERYONE.filter((k) => !keys.includes(k));

/** `STATIC` stands for the fixture's static segment id. */
export const STATIC = '00000000-0000-4000-8000-00000000feed';

export const RULE_CASES: RuleCase[] = [
  // Property comparisons
  { name: 'eq on a string', rule: p('plan', 'eq', 'pro'), expected: ['ana', 'dan'] },
  {
    name: 'neq includes contacts without the property',
    rule: p('plan', 'neq', 'pro'),
    expected: but('ana', 'dan'),
  },
  { name: 'gt on numbers', rule: p('age', 'gt', 30), expected: ['ana', 'dan'] },
  { name: 'gte reads numeric strings', rule: p('age', 'gte', 29), expected: ['ana', 'bob', 'dan'] },
  { name: 'lt on numbers', rule: p('age', 'lt', 30), expected: ['bob'] },
  { name: 'lte on numbers', rule: p('age', 'lte', 34), expected: ['ana', 'bob'] },
  { name: 'eq number matches a numeric string', rule: p('age', 'eq', 29), expected: ['bob'] },
  { name: 'eq true', rule: p('vip', 'eq', true), expected: ['ana'] },
  { name: 'eq false', rule: p('vip', 'eq', false), expected: ['bob'] },
  { name: 'neq true', rule: p('vip', 'neq', true), expected: but('ana') },
  { name: 'contains ignores case', rule: p('city', 'contains', 'AR'), expected: ['ana'] },
  { name: 'not_contains', rule: p('city', 'not_contains', 'ar'), expected: but('ana') },
  { name: 'starts_with', rule: p('city', 'starts_with', 'pa'), expected: ['ana'] },
  {
    name: 'contains: array element or substring',
    rule: p('interests', 'contains', 'shoes'),
    expected: ['ana', 'bob'],
  },
  {
    name: 'contains: arrays need a whole element',
    rule: p('interests', 'contains', 'sho'),
    expected: ['bob'],
  },
  { name: 'in a list', rule: p('plan', 'in', ['pro', 'enterprise']), expected: ['ana', 'dan'] },
  { name: 'not_in a list', rule: p('plan', 'not_in', ['pro']), expected: but('ana', 'dan') },
  {
    name: 'in: any array element',
    rule: p('interests', 'in', ['bags', 'hats']),
    expected: ['ana'],
  },
  // Numbers stored as text, and text typed as numbers
  {
    name: 'in a list of numbers reads numeric strings',
    rule: p('age', 'in', [29, 51]),
    expected: ['bob', 'dan'],
  },
  {
    name: 'in a list of numeric strings reads numbers',
    rule: p('age', 'in', ['34']),
    expected: ['ana'],
  },
  { name: 'eq a numeric string reads numbers', rule: p('age', 'eq', '34'), expected: ['ana'] },
  {
    name: 'not_in a list of numbers reads numeric strings',
    rule: p('age', 'not_in', [29]),
    expected: but('bob'),
  },
  {
    name: 'a zip code keeps its leading zero, and matches the number it lost it in',
    rule: p('zip', 'in', ['02139']),
    expected: ['bob', 'dan'],
  },
  {
    name: 'lt a numeric string compares numbers, not text',
    rule: p('age', 'lt', '100'),
    expected: ['ana', 'bob', 'dan'],
  },
  { name: 'gte a numeric string skips text', rule: p('plan', 'gte', '40'), expected: [] },
  // Text equality ignores case, as contains does
  { name: 'eq ignores case', rule: p('tier', 'eq', 'gold'), expected: ['ana', 'dan'] },
  { name: 'neq ignores case', rule: p('tier', 'neq', 'gold'), expected: but('ana', 'dan') },
  { name: 'in ignores case', rule: p('tier', 'in', ['GOLD']), expected: ['ana', 'dan'] },
  {
    name: 'not_in ignores case',
    rule: p('tier', 'not_in', ['gold', 'Silver']),
    expected: but('ana', 'bob', 'dan'),
  },
  { name: 'in ignores case in arrays', rule: p('interests', 'in', ['BAGS']), expected: ['ana'] },
  { name: 'eq ignores case in arrays', rule: p('interests', 'eq', 'Shoes'), expected: ['ana'] },
  {
    name: 'an event filter ignores case too',
    rule: count('order.completed', 'at_least', 1, { where: p('category', 'eq', 'SHOES') }),
    expected: ['ana'],
  },
  {
    name: '$external_id is an identifier: exact',
    rule: p('$external_id', 'eq', 'U-ANA'),
    expected: [],
  },
  {
    name: '$external_id in a list',
    rule: p('$external_id', 'in', ['u-ana', 'u-eve']),
    expected: ['ana', 'eve'],
  },
  { name: '$timezone ignores case', rule: p('$timezone', 'eq', 'asia/tokyo'), expected: ['dan'] },
  {
    name: '$score in a list of numeric strings',
    rule: p('$score', 'in', ['40', 80]),
    expected: ['ana', 'dan'],
  },
  { name: 'exists', rule: p('plan', 'exists'), expected: ['ana', 'bob', 'dan', 'eve'] },
  { name: 'not_exists', rule: p('plan', 'not_exists'), expected: ['cy', 'fay'] },
  { name: 'nested property', rule: p('address.city', 'eq', 'Lyon'), expected: ['ana'] },
  { name: 'nested property exists', rule: p('address.city', 'exists'), expected: ['ana'] },
  {
    name: '$email is compared lower-cased',
    rule: p('$email', 'eq', ' ANA@x.test '),
    expected: ['ana'],
  },
  { name: '$email contains', rule: p('$email', 'contains', 'x.test'), expected: but('eve') },
  { name: '$email not_exists', rule: p('$email', 'not_exists'), expected: ['eve'] },
  { name: '$external_id', rule: p('$external_id', 'eq', 'u-eve'), expected: ['eve'] },
  { name: '$score as a property', rule: p('$score', 'gte', 40), expected: ['ana', 'dan'] },
  { name: '$timezone', rule: p('$timezone', 'eq', 'Asia/Tokyo'), expected: ['dan'] },
  {
    name: '$email in a list',
    rule: p('$email', 'in', ['BOB@x.test', 'nobody@x.test']),
    expected: ['bob'],
  },
  // Dates and time zones
  {
    name: '$created_at within_last',
    rule: p('$created_at', 'within_last', '30d'),
    expected: ['bob'],
  },
  {
    name: '$created_at more_than_ago includes the boundary',
    rule: p('$created_at', 'more_than_ago', '365d'),
    expected: ['dan', 'fay'],
  },
  {
    name: 'before a date is local midnight',
    rule: p('$created_at', 'before', '2025-01-01'),
    expected: ['dan', 'fay'],
  },
  {
    name: '$created_at after a date',
    rule: p('$created_at', 'after', '2025-06-01'),
    expected: ['bob'],
  },
  {
    name: 'date string before',
    rule: p('signup', 'before', '2023-02-01'),
    expected: ['ana', 'bob'],
  },
  {
    name: 'after a date means from the next day',
    rule: p('signup', 'after', '2023-01-10'),
    expected: ['bob'],
  },
  {
    name: 'within_next, date-only in the contact zone',
    rule: p('renews_at', 'within_next', '7d'),
    expected: ['ana'],
  },
  { name: 'within_next 60d', rule: p('renews_at', 'within_next', '60d'), expected: ['ana', 'dan'] },
  {
    name: 'within_last on a date property',
    rule: p('renews_at', 'within_last', '30d'),
    expected: ['bob'],
  },
  {
    name: 'more_than_ago on a date property',
    rule: p('renews_at', 'more_than_ago', '10d'),
    expected: ['bob'],
  },
  {
    name: 'malformed dates never match',
    rule: p('broken_date', 'before', '2030-01-01'),
    expected: [],
  },
  { name: 'valid dates before', rule: p('birthday', 'before', '2030-01-01'), expected: but('cy') },
  {
    name: 'workspace zone when the contact has none',
    rule: p('trial_ends', 'after', '2025-06-15T03:00:00Z'),
    expected: ['cy'],
  },
  {
    name: 'gt on an ISO date compares instants',
    rule: p('renews_at', 'gt', '2025-06-20T00:30:00+02:00'),
    expected: ['dan'],
  },
  {
    name: 'anniversary today in each contact zone (UTC−11 to UTC+14)',
    rule: anniversary('birthday', 0),
    expected: ['bob', 'eve', 'fay'],
  },
  { name: 'anniversary in 2 days', rule: anniversary('birthday', 2), expected: ['ana'] },
  {
    name: 'a date written as midnight UTC is that date, west of UTC too',
    rule: anniversary('born_utc', 0),
    expected: ['bob'],
  },
  {
    name: 'a date written as midnight UTC: not the day before',
    rule: anniversary('born_utc', 0),
    expected: [],
    now: '2025-06-14T16:00:00Z',
  },
  {
    name: 'before a date written as midnight UTC',
    rule: p('trial_utc', 'before', '2025-06-17'),
    expected: [],
  },
  {
    name: 'after the day before a date written as midnight UTC',
    rule: p('trial_utc', 'after', '2025-06-16'),
    expected: ['bob'],
  },
  {
    name: 'within the next 2 days of a date written as midnight UTC',
    rule: p('trial_utc', 'within_next', '2d'),
    expected: ['bob'],
  },
  {
    name: 'a time that is not midnight stays an instant',
    rule: p('seen_at', 'before', '2025-06-15'),
    expected: ['bob'],
  },
  { name: 'anniversary in 1 day: nobody', rule: anniversary('birthday', 1), expected: [] },
  {
    name: '29 February falls on 28 February in other years',
    rule: anniversary('birthday', 1),
    expected: ['dan'],
    now: '2025-02-27T12:00:00Z',
  },
  {
    name: '29 February in a leap year',
    rule: anniversary('birthday', 2),
    expected: ['dan'],
    now: '2024-02-27T12:00:00Z',
  },
  {
    name: 'not on 28 February in a leap year',
    rule: anniversary('birthday', 1),
    expected: [],
    now: '2024-02-27T12:00:00Z',
  },
  {
    name: 'signup anniversary of $created_at',
    rule: anniversary('$created_at', 0),
    expected: ['dan'],
  },
  { name: 'anniversary of a non-date', rule: anniversary('plan', 0), expected: [] },
  // "birthday in the next N days": any day from today to today + N, in each contact's zone
  {
    name: 'anniversary within 0 days is today (UTC−11 to UTC+14)',
    rule: within('birthday', 0),
    expected: ['bob', 'eve', 'fay'],
  },
  {
    name: 'anniversary within 2 days: today and 2 days ahead',
    rule: within('birthday', 2),
    expected: ['ana', 'bob', 'eve', 'fay'],
  },
  {
    name: 'anniversary within 1 day: not one 2 days ahead',
    rule: within('birthday', 1),
    expected: ['bob', 'eve', 'fay'],
  },
  {
    name: 'anniversary within 1 day where the day differs: Pago Pago still on the 15th, Kiritimati on the 17th',
    rule: within('birthday', 1),
    expected: ['ana', 'fay'],
    now: '2025-06-16T10:30:00Z',
  },
  {
    name: 'anniversary within 7 days across the year end',
    rule: within('$created_at', 7),
    expected: ['ana'],
    now: '2025-12-28T12:00:00Z',
  },
  {
    name: 'anniversary within 3 days before the year end: 1 January is the 4th day',
    rule: within('$created_at', 3),
    expected: [],
    now: '2025-12-28T12:00:00Z',
  },
  {
    name: 'anniversary within: 29 February on the 28th in other years',
    rule: within('birthday', 3),
    expected: ['dan'],
    now: '2025-02-25T12:00:00Z',
  },
  {
    name: 'anniversary within: 29 February not yet on the 28th in a common year',
    rule: within('birthday', 2),
    expected: [],
    now: '2025-02-25T12:00:00Z',
  },
  {
    name: 'anniversary within: 29 February in a leap year is the 29th',
    rule: all(within('birthday', 4), not(within('birthday', 3))),
    expected: ['dan'],
    now: '2024-02-25T12:00:00Z',
  },
  { name: 'anniversary within: not a date', rule: within('plan', 366), expected: [] },
  // Tags and score
  { name: 'tag has', rule: { kind: 'tag', op: 'has', tag: 'vip' }, expected: ['ana'] },
  {
    name: 'tag lacks',
    rule: { kind: 'tag', op: 'lacks', tag: 'newsletter' },
    expected: ['cy', 'dan', 'eve', 'fay'],
  },
  { name: 'score gt', rule: { kind: 'score', op: 'gt', value: 30 }, expected: ['ana', 'dan'] },
  {
    name: 'score eq 0',
    rule: { kind: 'score', op: 'eq', value: 0 },
    expected: ['cy', 'eve', 'fay'],
  },
  {
    name: 'score lt',
    rule: { kind: 'score', op: 'lt', value: 10 },
    expected: ['bob', 'cy', 'eve', 'fay'],
  },
  // Segment membership
  {
    name: 'in a segment',
    rule: { kind: 'segment', op: 'in', segmentId: STATIC },
    expected: ['ana', 'bob'],
  },
  {
    name: 'not in a segment',
    rule: { kind: 'segment', op: 'not_in', segmentId: STATIC },
    expected: ['cy', 'dan', 'eve', 'fay'],
  },
  {
    name: 'in a segment nobody defined',
    rule: { kind: 'segment', op: 'in', segmentId: '00000000-0000-4000-8000-000000000000' },
    expected: [],
  },
  // Event counts, zero included
  {
    name: 'performed ever',
    rule: count('order.completed', 'at_least', 1),
    expected: ['ana', 'dan'],
  },
  {
    name: 'never performed (zero count)',
    rule: count('order.completed', 'exactly', 0),
    expected: but('ana', 'dan'),
  },
  {
    name: 'zero in a window',
    rule: count('order.completed', 'at_most', 0, { within: '30d' }),
    expected: but('ana', 'dan'),
  },
  {
    name: 'zero in a short window excludes older events',
    rule: count('order.completed', 'exactly', 0, { within: '7d' }),
    expected: but('dan'),
  },
  {
    name: 'at least 3 within 30d',
    rule: count('order.completed', 'at_least', 3, { within: '30d' }),
    expected: ['dan'],
  },
  {
    name: 'at most 1 within 30d includes those with none',
    rule: count('order.completed', 'at_most', 1, { within: '30d' }),
    expected: but('dan'),
  },
  {
    name: 'from 2 to 3 within 30d: one count, two bounds',
    rule: all(
      count('order.completed', 'at_least', 2, { within: '30d' }),
      count('order.completed', 'at_most', 3, { within: '30d' }),
    ),
    expected: ['dan'],
  },
  {
    name: 'not opened at least twice in 30d',
    rule: not(email('opened', 'at_least', 2, { within: '30d' })),
    expected: but('ana'),
  },
  { name: 'exactly 2 ever', rule: count('order.completed', 'exactly', 2), expected: ['ana'] },
  { name: 'at most 2 ever', rule: count('order.completed', 'at_most', 2), expected: but('dan') },
  {
    name: 'at least 0 is everyone',
    rule: count('order.completed', 'at_least', 0, { within: '1d' }),
    expected: EVERYONE,
  },
  {
    name: 'where amount gt',
    rule: count('order.completed', 'at_least', 1, { where: p('amount', 'gt', 280) }),
    expected: ['ana'],
  },
  {
    name: 'where and within',
    rule: count('order.completed', 'at_least', 1, { where: p('amount', 'gt', 280), within: '7d' }),
    expected: [],
  },
  {
    name: 'zero count with a filter',
    rule: count('order.completed', 'exactly', 0, { where: p('amount', 'gte', 1000) }),
    expected: EVERYONE,
  },
  {
    name: 'where any',
    rule: count('order.completed', 'at_least', 2, {
      where: any(p('amount', 'lt', 60), p('amount', 'gt', 150)),
    }),
    expected: ['ana', 'dan'],
  },
  {
    name: 'where not',
    rule: count('order.completed', 'at_least', 1, { where: not(p('amount', 'gt', 100)) }),
    expected: ['dan'],
  },
  {
    name: 'where on a text property',
    rule: count('order.completed', 'exactly', 1, { where: p('category', 'eq', 'shoes') }),
    expected: ['ana'],
  },
  {
    name: 'at most 1 in a window with a filter',
    rule: count('order.completed', 'at_most', 1, { within: '30d', where: p('amount', 'gte', 100) }),
    expected: but('dan'),
  },
  // Email engagement
  {
    name: 'clicked within 15d',
    rule: email('clicked', 'at_least', 1, { within: '15d' }),
    expected: ['ana'],
  },
  {
    name: 'no click within 15d (zero-count window)',
    rule: email('clicked', 'at_most', 0, { within: '15d' }),
    expected: but('ana'),
  },
  {
    name: 'clicked one template',
    rule: email('clicked', 'at_least', 1, { templateId: 't1' }),
    expected: ['ana'],
  },
  {
    name: 'never clicked template t1',
    rule: email('clicked', 'exactly', 0, { templateId: 't1' }),
    expected: but('ana'),
  },
  {
    name: 'opened at least 3 in 30d',
    rule: email('opened', 'at_least', 3, { within: '30d' }),
    expected: ['ana'],
  },
  { name: 'opened exactly 2', rule: email('opened', 'exactly', 2), expected: ['fay'] },
  {
    name: 'opened exactly 2 by a person',
    rule: email('opened', 'exactly', 2, { humanOnly: true }),
    expected: [],
  },
  {
    name: 'opened template t1 twice',
    rule: email('opened', 'exactly', 2, { templateId: 't1' }),
    expected: ['ana'],
  },
  {
    name: 'an email opened three times is one email opened',
    rule: email('opened', 'at_least', 4, { within: '30d' }),
    expected: [],
  },
  {
    name: 'opened exactly 3 emails: opens of one email count once',
    rule: email('opened', 'exactly', 3, { within: '30d' }),
    expected: ['ana'],
  },
  {
    name: 'two links clicked in one email is one email clicked',
    rule: email('clicked', 'at_most', 1, { within: '30d' }),
    expected: EVERYONE,
  },
  {
    name: 'a click counts as an open',
    rule: email('opened', 'at_least', 1, { within: '30d' }),
    expected: ['ana', 'bob', 'fay'],
  },
  {
    name: 'a click counts as an open, ever',
    rule: email('opened', 'at_least', 1),
    expected: ['ana', 'bob', 'fay'],
  },
  {
    name: 'who clicked opened something',
    rule: email('opened', 'exactly', 0, { within: '30d' }),
    expected: but('ana', 'bob', 'fay'),
  },
  {
    name: 'a click counts as an open of its template',
    rule: email('opened', 'at_least', 1, { templateId: 't2' }),
    expected: ['ana', 'bob'],
  },
  {
    name: 'opened two emails ever, clicks included, counted per email',
    rule: email('opened', 'at_least', 2),
    expected: ['ana', 'fay'],
  },
  // Opens and clicks by a person only: machines' (Apple's privacy proxy, link scanners) left out
  {
    name: "machines' opens count by default",
    rule: email('opened', 'at_least', 1, { within: '30d' }),
    expected: ['ana', 'bob', 'fay'],
  },
  {
    name: 'opened by a person, ever: an Apple Mail reader is out',
    rule: email('opened', 'at_least', 1, { humanOnly: true }),
    expected: ['ana', 'bob'],
  },
  {
    name: 'opened by a person in the last 30 days',
    rule: email('opened', 'at_least', 1, { within: '30d', humanOnly: true }),
    expected: ['ana', 'bob'],
  },
  {
    name: 'no open by a person in 90 days',
    rule: email('opened', 'at_most', 0, { within: '90d', humanOnly: true }),
    expected: but('ana', 'bob'),
  },
  {
    name: 'no open in 90 days, machines counted',
    rule: email('opened', 'at_most', 0, { within: '90d' }),
    expected: but('ana', 'bob', 'fay'),
  },
  {
    name: 'not opened by a person in 30 days',
    rule: not(email('opened', 'at_least', 1, { within: '30d', humanOnly: true })),
    expected: but('ana', 'bob'),
  },
  {
    name: 'humanOnly false is the default',
    rule: email('opened', 'at_least', 1, { humanOnly: false }),
    expected: ['ana', 'bob', 'fay'],
  },
  {
    name: "a machine's open of an email a person also read still counts it once",
    rule: email('opened', 'exactly', 3, { within: '30d', humanOnly: true }),
    expected: ['ana'],
  },
  {
    name: 'emails opened by a person, counted over the whole base',
    rule: email('opened', 'at_least', 2, { humanOnly: true }),
    expected: ['ana'],
  },
  {
    name: 'no email opened by a person',
    rule: email('opened', 'exactly', 0, { humanOnly: true }),
    expected: but('ana', 'bob'),
  },
  {
    name: 'opened one template by a person',
    rule: email('opened', 'at_least', 1, { templateId: 't3', humanOnly: true }),
    expected: [],
  },
  {
    name: "an event count leaves machines' events out with a filter",
    rule: count('email.opened', 'at_least', 1, { where: p('machine', 'neq', true) }),
    expected: ['ana'],
  },
  {
    name: "a scanner's click counts by default",
    rule: email('clicked', 'at_least', 1),
    expected: ['ana', 'bob', 'fay'],
  },
  {
    name: 'clicked by a person',
    rule: email('clicked', 'at_least', 1, { humanOnly: true }),
    expected: ['ana', 'bob'],
  },
  {
    name: 'never clicked, by a person',
    rule: not(email('clicked', 'at_least', 1, { humanOnly: true })),
    expected: but('ana', 'bob'),
  },
  { name: 'bounced', rule: email('bounced', 'at_least', 1), expected: ['dan'] },
  { name: 'never unsubscribed', rule: email('unsubscribed', 'exactly', 0), expected: but('dan') },
  // Last performed
  {
    name: 'no click for 15 days counts never-clickers from signup',
    rule: last('email.clicked', 'more_than', '15d'),
    expected: but('ana'),
  },
  {
    name: 'no click for 15 days, clickers only',
    rule: last('email.clicked', 'more_than', '15d', false),
    expected: ['bob', 'fay'],
  },
  {
    name: 'never-clickers who joined recently are not inactive yet',
    rule: last('email.clicked', 'more_than', '50d'),
    expected: ['dan', 'eve', 'fay'],
  },
  {
    name: 'no click by a person for 15 days, clickers only: a scanner does not make a clicker',
    rule: { ...last('email.clicked', 'more_than', '15d', false), humanOnly: true } as Condition,
    expected: ['bob'],
  },
  { name: 'clicked within 7d', rule: last('email.clicked', 'within', '7d'), expected: ['ana'] },
  {
    name: 'last order more than 5d ago',
    rule: last('order.completed', 'more_than', '5d', false),
    expected: ['ana'],
  },
  {
    name: 'exactly D ago is more than D ago',
    rule: last('email.clicked', 'more_than', '20d', false),
    expected: ['bob', 'fay'],
  },
  // Aggregates
  { name: 'spent 500+ in the last year', rule: agg('sum', 'gte', 500, '365d'), expected: ['ana'] },
  { name: 'spent 300+ ever', rule: agg('sum', 'gte', 300), expected: ['ana', 'dan'] },
  {
    name: 'spent less than 100 includes non-buyers',
    rule: agg('sum', 'lt', 100),
    expected: but('ana', 'dan'),
  },
  { name: 'sum in a window', rule: agg('sum', 'eq', 300, '30d'), expected: ['ana'] },
  { name: 'average', rule: agg('avg', 'gt', 200), expected: ['ana'] },
  { name: 'max', rule: agg('max', 'lte', 200), expected: ['dan'] },
  { name: 'min within 30d', rule: agg('min', 'lt', 60, '30d'), expected: ['dan'] },
  { name: 'average of nothing is unknown', rule: agg('avg', 'gt', 0), expected: ['ana', 'dan'] },
  {
    name: 'spent from 300 up to 500: one sum, two bounds',
    rule: all(agg('sum', 'gte', 300), agg('sum', 'lt', 500)),
    expected: ['dan'],
  },
  {
    name: 'not an average above 200 (unknown averages included)',
    rule: not(agg('avg', 'gt', 200)),
    expected: but('ana'),
  },
  {
    name: 'big spender this year or a big basket this month',
    rule: any(agg('sum', 'gte', 500, '365d'), agg('max', 'gte', 200, '30d')),
    expected: ['ana', 'dan'],
  },
  // Nesting and negation
  {
    name: 'not of a missing property is true',
    rule: not(p('plan', 'eq', 'pro')),
    expected: but('ana', 'dan'),
  },
  { name: 'double negation', rule: not(not(p('plan', 'eq', 'pro'))), expected: ['ana', 'dan'] },
  {
    name: 'all with a negated leaf',
    rule: all(p('plan', 'eq', 'pro'), not({ kind: 'tag', op: 'has', tag: 'vip' })),
    expected: ['dan'],
  },
  {
    name: 'any',
    rule: any({ kind: 'tag', op: 'has', tag: 'vip' }, { kind: 'score', op: 'gt', value: 70 }),
    expected: ['ana', 'dan'],
  },
  {
    name: 'not any',
    rule: not(any(p('plan', 'eq', 'pro'), p('plan', 'eq', 'free'))),
    expected: ['cy', 'eve', 'fay'],
  },
  {
    name: 'not all with a nested not',
    rule: not(all(p('age', 'gt', 30), not(p('vip', 'eq', true)))),
    expected: but('dan'),
  },
  {
    name: 'negated comparison includes the unknown',
    rule: not(p('age', 'gt', 30)),
    expected: ['bob', 'cy', 'eve', 'fay'],
  },
  {
    name: 'engaged prospects',
    rule: all(
      count('order.completed', 'exactly', 0),
      any(
        email('clicked', 'at_least', 1, { within: '30d' }),
        email('opened', 'at_least', 1, { within: '30d' }),
      ),
    ),
    expected: ['bob', 'fay'],
  },
  {
    name: 'engaged prospects, by a person',
    rule: all(
      count('order.completed', 'exactly', 0),
      any(
        email('clicked', 'at_least', 1, { within: '30d', humanOnly: true }),
        email('opened', 'at_least', 1, { within: '30d', humanOnly: true }),
      ),
    ),
    expected: ['bob'],
  },
  {
    name: 'negated zero-count window',
    rule: not(email('clicked', 'at_most', 0, { within: '15d' })),
    expected: ['ana'],
  },
  {
    name: 'deep nesting',
    rule: any(
      all(
        not(not(any(p('plan', 'eq', 'trial'), all(p('age', 'gte', 50), not(p('vip', 'exists')))))),
        p('plan', 'exists'),
      ),
      { kind: 'tag', op: 'has', tag: 'vip' },
    ),
    expected: ['ana', 'dan', 'eve'],
  },
  { name: 'empty all is true', rule: { kind: 'all', conditions: [] }, expected: EVERYONE },
  { name: 'empty any is false', rule: { kind: 'any', conditions: [] }, expected: [] },
  // Injection attempts: values travel as parameters, never as SQL text
  {
    name: 'quote in a value',
    rule: p('plan', 'eq', "pro'; drop table contacts; --"),
    expected: [],
  },
  { name: 'apostrophe matches literally', rule: p('nickname', 'eq', "O'Brien"), expected: ['ana'] },
  { name: 'hostile property path', rule: p("plan') or true --", 'exists'), expected: [] },
  { name: 'hostile nested path', rule: p('a.b"}\') or 1=1 --', 'exists'), expected: [] },
  { name: 'hostile event name', rule: count("x' or 1=1 --", 'at_least', 1), expected: [] },
  {
    name: 'hostile list',
    rule: p('plan', 'in', ["a'b", 'pro', '"); select 1; --']),
    expected: ['ana', 'dan'],
  },
  { name: 'LIKE wildcards are literal', rule: p('city', 'contains', '%'), expected: [] },
  { name: 'underscore is literal', rule: p('city', 'starts_with', '_'), expected: [] },
  { name: 'hostile tag', rule: { kind: 'tag', op: 'has', tag: "vip' or '1'='1" }, expected: [] },
  {
    name: 'hostile template id',
    rule: email('clicked', 'at_least', 1, { templateId: "t1' or 'x'='x" }),
    expected: [],
  },
  {
    name: 'a window is measured back from now',
    rule: count('order.completed', 'at_least', 1, { within: '2d' }),
    expected: ['dan'],
  },
  {
    name: 'a window excludes its far edge',
    rule: count('order.completed', 'at_least', 1, { within: '1d' }),
    expected: [],
  },
];
