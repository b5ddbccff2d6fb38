import { PropertyCondition } from '@relance/flow';
import { describe, expect, it } from 'vitest';
import {
  chipValue,
  fitToType,
  inputFor,
  opsForType,
  typeOfProperty,
  type PropertyType,
} from './property-types';

const ops = (type: PropertyType | undefined) => opsForType(type).map((o) => o.op);

describe('property comparisons by type', () => {
  it.each([
    ['number', ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in', 'exists', 'not_exists']],
    ['boolean', ['eq', 'neq', 'exists', 'not_exists']],
    [
      'date',
      [
        'before',
        'after',
        'within_last',
        'within_next',
        'more_than_ago',
        'anniversary_within',
        'anniversary_in',
        'exists',
        'not_exists',
      ],
    ],
    [
      'string',
      [
        'eq',
        'neq',
        'contains',
        'not_contains',
        'starts_with',
        'in',
        'not_in',
        'exists',
        'not_exists',
      ],
    ],
    ['array', ['contains', 'not_contains', 'in', 'not_in', 'exists', 'not_exists']],
    ['object', ['exists', 'not_exists']],
  ] as const)('offers a %s only the comparisons that make sense for it', (type, expected) => {
    expect(ops(type)).toEqual(expected);
  });

  it('offers every comparison for a property the registry does not know yet', () => {
    expect(ops(undefined)).toContain('gt');
    expect(ops(undefined)).toContain('before');
    expect(ops(undefined)).toContain('contains');
  });

  it.each([
    ['number', 'eq', 'number'],
    ['number', 'gt', 'number'],
    ['boolean', 'eq', 'boolean'],
    ['string', 'eq', 'text'],
    [undefined, 'eq', 'text'],
    ['number', 'in', 'chips'],
    ['string', 'not_in', 'chips'],
    ['date', 'before', 'date'],
    ['date', 'after', 'date'],
    ['date', 'within_last', 'duration'],
    ['date', 'more_than_ago', 'duration'],
    ['date', 'anniversary_in', 'days'],
    ['date', 'anniversary_within', 'days'],
    ['object', 'exists', 'none'],
  ] as const)('types a %s compared with %s in a %s input', (type, op, input) => {
    expect(inputFor(type, op)).toBe(input);
  });

  it('reads registered types first, then the built-in contact fields', () => {
    const known = [{ name: 'orders', type: 'number' as const }];
    expect(typeOfProperty('orders', known, { contact: true })).toBe('number');
    expect(typeOfProperty('$created_at', known, { contact: true })).toBe('date');
    expect(typeOfProperty('$created_at', known, { contact: false })).toBeUndefined();
    expect(typeOfProperty('plan', known, { contact: true })).toBeUndefined();
  });

  it.each([
    [
      'a number comparison on a date',
      { kind: 'property', property: 'renews_at', op: 'gt', value: 3 },
      'date',
      { op: 'before', value: '' },
      '“is more than” does not apply to a date: changed to “is before”.',
    ],
    [
      'text on a number',
      { kind: 'property', property: 'orders', op: 'eq', value: 'pro' },
      'number',
      { op: 'eq', value: 0 },
      '“pro” is not a number: value reset.',
    ],
    [
      'a text list on a boolean',
      { kind: 'property', property: 'vip', op: 'in', value: ['a'] },
      'boolean',
      { op: 'eq', value: true },
      '“is one of” does not apply to a yes / no value: changed to “is”.',
    ],
  ] as const)('resets %s, saying so', (_name, condition, type, expected, note) => {
    const fitted = fitToType(condition, type);
    expect(fitted.condition).toMatchObject(expected);
    expect(fitted.note).toContain(note);
  });

  it.each([
    ['number', { kind: 'property', property: 'orders', op: 'gte', value: 3 }],
    ['string', { kind: 'property', property: 'plan', op: 'in', value: ['pro', 'team'] }],
    ['date', { kind: 'property', property: 'renews_at', op: 'within_next', value: '7d' }],
    ['boolean', { kind: 'property', property: 'vip', op: 'eq', value: false }],
  ] as const)('keeps a %s comparison that already fits, unchanged and valid', (type, condition) => {
    const fitted = fitToType(condition, type);
    expect(fitted).toEqual({ condition, note: null });
    expect(PropertyCondition.safeParse(condition).success).toBe(true);
  });

  it.each([
    ['42', 'number', 42],
    ['forty', 'number', null],
    ['42', 'string', '42'],
    ['42', undefined, '42'],
    ['02139', undefined, '02139'],
    ['  pro ', 'string', 'pro'],
    ['   ', 'string', null],
  ] as const)('reads the chip “%s” of a %s property as %s', (typed, type, value) => {
    expect(chipValue(typed, type)).toBe(value);
  });
});
