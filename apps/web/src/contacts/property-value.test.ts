import { describe, expect, it } from 'vitest';
import {
  dateInputOf,
  displayPropertyValue,
  displayValue,
  editTypeOf,
  inputTextOf,
  instantOfWallTime,
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
    ['2024-05-03', 'date', '2024-05-03'],
    ['2024-05-03T10:00:00.000Z', 'date', '2024-05-03T10:00'],
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

// A workspace on New York time: 03:30 UTC on 1 March is 22:30 on 28 February there.
const zones = { workspace: 'America/New_York', contact: 'Europe/Paris' };
const now = new Date('2026-06-01T12:00:00Z');

describe('a date property', () => {
  it.each<[string, string, 'date' | 'datetime-local', string]>([
    // A calendar day is that day, on any clock.
    ['2026-03-01', '1 Mar', 'date', '2026-03-01'],
    ['1990-05-17', '17 May 1990', 'date', '1990-05-17'],
    // Midnight UTC is how a calendar day reads in JSON: that day too, never the day before.
    ['2026-03-01T00:00:00Z', '1 Mar', 'date', '2026-03-01'],
    ['2026-03-01T00:00:00.000Z', '1 Mar', 'date', '2026-03-01'],
    ['2026-03-01T00:00+00:00', '1 Mar', 'date', '2026-03-01'],
    // An instant: its day and hour on the workspace's clock, naming it.
    [
      '2026-03-01T03:30:00Z',
      '28 Feb, 22:30 (America/New_York)',
      'datetime-local',
      '2026-02-28T22:30',
    ],
    [
      '2026-03-01T09:30:15+01:00',
      '1 Mar, 03:30 (America/New_York)',
      'datetime-local',
      '2026-03-01T03:30:15',
    ],
    // Midnight at another offset is an instant.
    [
      '2026-03-01T00:00:00+02:00',
      '28 Feb, 17:00 (America/New_York)',
      'datetime-local',
      '2026-02-28T17:00',
    ],
    // A time without a zone is read on the contact's clock, as written.
    ['2026-03-01T09:00', '1 Mar, 09:00 (Europe/Paris)', 'datetime-local', '2026-03-01T09:00'],
  ])('%j shows as %j, edited with a %s input holding %j', (stored, shown, input, text) => {
    expect(displayPropertyValue(stored, 'date', zones, now)).toBe(shown);
    expect(dateInputOf(stored)).toBe(input);
    expect(inputTextOf(stored, 'date', zones.workspace)).toBe(text);
  });

  it('shows what is no date, or a property of another type, as it is', () => {
    expect(displayPropertyValue('next spring', 'date', zones, now)).toBe('next spring');
    expect(displayPropertyValue('2026-02-30', 'date', zones, now)).toBe('2026-02-30');
    expect(displayPropertyValue('2026-03-01T03:30:00Z', 'string', zones, now)).toBe(
      '2026-03-01T03:30:00Z',
    );
    expect(displayPropertyValue(undefined, 'date', zones, now)).toBe('—');
  });

  it('reads a date and time typed on the workspace’s clock back as the instant', () => {
    expect(parseInputText('2026-02-28T22:30', 'date', 'America/New_York')).toEqual({
      ok: true,
      value: '2026-03-01T03:30:00Z',
    });
    // Without a zone (a time stored without one), as typed: the contact's clock.
    expect(parseInputText('2026-03-01T09:00', 'date')).toEqual({
      ok: true,
      value: '2026-03-01T09:00',
    });
    expect(parseInputText('2026-03-01', 'date', 'America/New_York')).toEqual({
      ok: true,
      value: '2026-03-01',
    });
  });

  it.each([
    ['2026-07-01T12:00', 'America/New_York', '2026-07-01T16:00:00Z'],
    ['2026-01-15T08:05:30', 'Asia/Kolkata', '2026-01-15T02:35:30Z'],
    // Either side of New York's clocks going forward (2:00 → 3:00 on 8 March 2026).
    ['2026-03-08T01:30', 'America/New_York', '2026-03-08T06:30:00Z'],
    ['2026-03-08T03:30', 'America/New_York', '2026-03-08T07:30:00Z'],
  ])('reads %s in %s as %s', (wall, zone, at) => {
    expect(instantOfWallTime(wall, zone)).toBe(at);
    expect(inputTextOf(at, 'date', zone)).toBe(wall);
  });
});
