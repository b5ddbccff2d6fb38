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
