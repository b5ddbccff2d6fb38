import { describe, expect, it } from 'vitest';
import {
  displayValue,
  editTypeOf,
  inputTextOf,
  listItemsOf,
  parseInputText,
  type PropertyType,
} from './property-value';

describe('parseInputText', () => {
  it.each<[string, PropertyType, unknown]>([
    ['Ada', 'string', 'Ada'],
    [' 42 ', 'number', 42],
    ['-9.5', 'number', -9.5],
    ['true', 'boolean', true],
    ['false', 'boolean', false],
    ['2024-05-03', 'date', '2024-05-03'],
    ['["a","b"]', 'array', ['a', 'b']],
    ['{"plan":"pro"}', 'object', { plan: 'pro' }],
  ])('reads %j as a %s', (text, type, value) => {
    expect(parseInputText(text, type)).toEqual({ ok: true, value });
  });

  it.each<[string, PropertyType, RegExp]>([
    ['', 'number', /number/],
    ['twelve', 'number', /number/],
    ['maybe', 'boolean', /yes or no/],
    ['03/05/2024', 'date', /date/],
    ['{"a":1}', 'array', /list in square brackets/],
    ['[1]', 'object', /curly brackets/],
    ['{oops', 'object', /curly brackets/],
  ])('refuses %j as a %s, saying why', (text, type, message) => {
    const parsed = parseInputText(text, type);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });
});

describe('inputTextOf', () => {
  it.each<[unknown, PropertyType, string]>([
    ['Ada', 'string', 'Ada'],
    [42, 'number', '42'],
    [true, 'boolean', 'true'],
    ['2024-05-03T10:00:00.000Z', 'date', '2024-05-03'],
    [['a'], 'array', '["a"]'],
    [undefined, 'string', ''],
  ])('shows %j as %s input text %j', (value, type, text) => {
    expect(inputTextOf(value, type)).toBe(text);
  });
});

describe('editTypeOf', () => {
  it('prefers the registered type, else guesses from the value', () => {
    expect(editTypeOf('date', '2024-01-01')).toBe('date');
    expect(editTypeOf(undefined, 3)).toBe('number');
    expect(editTypeOf(undefined, false)).toBe('boolean');
    expect(editTypeOf(undefined, { a: 1 })).toBe('object');
    expect(editTypeOf(undefined, 'x')).toBe('string');
  });
});

describe('displayValue', () => {
  it.each<[unknown, string]>([
    [null, '—'],
    [undefined, '—'],
    ['', '—'],
    ['Ada', 'Ada'],
    [120.5, '120.5'],
    [true, 'Yes'],
    [false, 'No'],
    [['tea', 'coffee'], 'tea, coffee'],
    [[], '—'],
    [{ plan: 'pro', seats: 3 }, 'plan: pro · seats: 3'],
    [{}, '—'],
    [[{ sku: 'A1', qty: 2 }, { sku: 'B2' }], '(sku: A1 · qty: 2), (sku: B2)'],
    [{ address: { city: 'Lyon' }, tags: ['a', 'b'] }, 'address: (city: Lyon) · tags: a, b'],
  ])('shows %j as %j', (value, text) => {
    expect(displayValue(value)).toBe(text);
  });
});

describe('listItemsOf', () => {
  it.each<[string, unknown]>([
    ['', []],
    ['["tea","coffee"]', ['tea', 'coffee']],
    ['[1,true,"x"]', [1, true, 'x']],
    ['[{"sku":"A1"}]', null],
    ['{"a":1}', null],
    ['[oops', null],
  ])('reads %j as %j', (text, items) => {
    expect(listItemsOf(text)).toEqual(items);
  });
});
