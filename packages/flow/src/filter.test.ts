import { describe, expect, it } from 'vitest';
import type { EventFilter } from './condition';
import { getPath, matchesFilter } from './filter';

const now = Date.parse('2025-06-15T12:00:00Z');
const props = {
  total: 120,
  currency: 'EUR',
  coupon: 'SPRING25',
  quantity: '3',
  gift: true,
  tags: ['shoes', 'sale'],
  address: { city: 'Lyon', zip: '69001' },
  paidAt: '2025-06-10T08:00:00Z',
  renewsAt: '2025-06-20T00:00:00Z',
  birthday: '1990-06-18',
  signedUpAt: '2020-06-18T00:00:00Z',
  renewedAt: '2020-06-17T23:30:00Z',
  empty: '',
  nothing: null,
};

const p = (property: string, op: string, value?: unknown) =>
  ({ kind: 'property', property, op, value }) as EventFilter;

describe('matchesFilter', () => {
  it.each([
    [p('total', 'eq', 120), true],
    [p('total', 'eq', '120'), true],
    [p('quantity', 'eq', 3), true],
    // Text ignores case and numbers typed as text are numbers, as segments compare.
    [p('currency', 'eq', 'eur'), true],
    [p('currency', 'neq', 'eur'), false],
    [p('currency', 'in', ['usd', 'eur']), true],
    [p('total', 'eq', '120.0'), true],
    [p('total', 'in', ['119', '120']), true],
    [p('total', 'eq', '0x78'), false],
    [p('gift', 'eq', 'TRUE'), true],
    [p('currency', 'eq', 'USD'), false],
    [p('currency', 'neq', 'USD'), true],
    [p('missing', 'neq', 'x'), true],
    [p('missing', 'eq', 'x'), false],
    [p('gift', 'eq', true), true],
    [p('total', 'gt', 100), true],
    [p('total', 'lte', 119), false],
    [p('quantity', 'gte', 3), true],
    [p('missing', 'gt', 0), false],
    [p('coupon', 'contains', 'spring'), true],
    [p('coupon', 'not_contains', 'winter'), true],
    [p('coupon', 'starts_with', 'SPR'), true],
    [p('tags', 'eq', 'sale'), true],
    [p('tags', 'contains', 'sho'), true],
    [p('tags', 'in', ['boots', 'shoes']), true],
    [p('currency', 'not_in', ['EUR', 'GBP']), false],
    [p('address.city', 'eq', 'Lyon'), true],
    [p('address.zip', 'starts_with', '69'), true],
    [p('coupon', 'exists'), true],
    [p('empty', 'exists'), false],
    [p('nothing', 'not_exists'), true],
    [p('paidAt', 'before', '2025-06-11'), true],
    [p('paidAt', 'after', '2025-06-11T00:00:00Z'), false],
    [p('paidAt', 'within_last', '7d'), true],
    [p('paidAt', 'within_last', '2d'), false],
    [p('renewsAt', 'within_next', '1w'), true],
    [p('paidAt', 'more_than_ago', '3d'), true],
    [{ kind: 'property', property: 'birthday', op: 'anniversary_in', days: 3 }, true],
    [{ kind: 'property', property: 'birthday', op: 'anniversary_in', days: 0 }, false],
    // Midnight UTC is the date written; another time with an offset is an instant, on its date
    // in the contact's zone: 23:30 UTC on the 17th is the 18th in Paris (the zone of these cases).
    [{ kind: 'property', property: 'signedUpAt', op: 'anniversary_in', days: 3 }, true],
    [{ kind: 'property', property: 'renewedAt', op: 'anniversary_in', days: 3 }, true],
    [{ kind: 'all', conditions: [p('total', 'gt', 100), p('currency', 'eq', 'EUR')] }, true],
    [{ kind: 'all', conditions: [p('total', 'gt', 100), p('currency', 'eq', 'USD')] }, false],
    [{ kind: 'any', conditions: [p('total', 'gt', 500), p('gift', 'eq', true)] }, true],
    [{ kind: 'not', condition: p('gift', 'eq', true) }, false],
    [{ kind: 'all', conditions: [] }, true],
    [{ kind: 'any', conditions: [] }, false],
  ] as [EventFilter, boolean][])('%j → %s', (filter, expected) => {
    expect(matchesFilter(filter, props, { now, timeZone: 'Europe/Paris' })).toBe(expected);
  });

  it('treats a non-object payload as having no properties', () => {
    expect(matchesFilter(p('total', 'exists'), null)).toBe(false);
    expect(matchesFilter(p('total', 'not_exists'), 'text')).toBe(true);
  });

  it('celebrates 29 February on the 28th in common years', () => {
    const filter: EventFilter = {
      kind: 'property',
      property: 'birthday',
      op: 'anniversary_in',
      days: 0,
    };
    const feb28 = Date.parse('2025-02-28T12:00:00Z');
    expect(matchesFilter(filter, { birthday: '2000-02-29' }, { now: feb28 })).toBe(true);
  });
});

describe('a birthday in the next N days (anniversary_within)', () => {
  const within = (days: number): EventFilter => ({
    kind: 'property',
    property: 'birthday',
    op: 'anniversary_within',
    days,
  });
  const at = (iso: string, birthday: string, days: number, timeZone = 'UTC') =>
    matchesFilter(within(days), { birthday }, { now: Date.parse(iso), timeZone });

  it('is any day from today to today + N, not the day after', () => {
    const now = '2026-06-10T12:00:00Z';
    expect(at(now, '1990-06-10', 7)).toBe(true); // today
    expect(at(now, '1990-06-13', 7)).toBe(true);
    expect(at(now, '1990-06-17', 7)).toBe(true); // today + 7
    expect(at(now, '1990-06-18', 7)).toBe(false); // today + 8
    expect(at(now, '1990-06-09', 7)).toBe(false); // yesterday
    expect(at(now, '1990-06-10', 0)).toBe(true);
    expect(at(now, '1990-06-11', 0)).toBe(false);
  });

  it('runs across the year end', () => {
    expect(at('2026-12-29T12:00:00Z', '1985-01-03', 7)).toBe(true);
    expect(at('2026-12-29T12:00:00Z', '1985-01-06', 7)).toBe(false);
  });

  it('celebrates 29 February on the 28th in common years', () => {
    expect(at('2027-02-25T12:00:00Z', '2000-02-29', 3)).toBe(true);
    expect(at('2027-02-25T12:00:00Z', '2000-02-29', 2)).toBe(false);
    expect(at('2028-02-25T12:00:00Z', '2000-02-29', 3)).toBe(false);
    expect(at('2028-02-25T12:00:00Z', '2000-02-29', 4)).toBe(true);
  });

  it('counts today in the contact’s time zone', () => {
    // 23:30 UTC on 9 June is already 10 June in Paris: a birthday on the 17th is 7 days away.
    expect(at('2026-06-09T23:30:00Z', '1990-06-17', 7, 'Europe/Paris')).toBe(true);
    expect(at('2026-06-09T23:30:00Z', '1990-06-17', 7, 'UTC')).toBe(false);
    expect(at('2026-06-09T23:30:00Z', '1990-06-09', 7, 'Europe/Paris')).toBe(false);
  });
});

describe('getPath', () => {
  it.each([
    ['address.city', 'Lyon'],
    ['tags.1', 'sale'],
    ['address.street', undefined],
    ['total.value', undefined],
  ])('%s → %j', (path, expected) => {
    expect(getPath(props, path)).toEqual(expected);
  });
});
