import { describe, expect, it } from 'vitest';
import { catalogKeys } from '../lib/catalog';
import { renderForTest } from '../lib/render-for-test';
import { ConditionBuilder } from './condition-builder';

const registry = {
  contact: [
    { name: 'plan', type: 'string', description: '' },
    { name: 'birthday', type: 'date', description: '' },
    { name: 'renewsAt', type: 'date', description: '' },
    { name: 'seats', type: 'number', description: '' },
    { name: 'address', type: 'object', description: '' },
    { name: 'company', type: 'object', description: '' },
  ],
  events: [],
};

const hints = (rule: Record<string, unknown>) => {
  const html = renderForTest(<ConditionBuilder value={rule} onChange={() => {}} path="rule" />, {
    timezone: 'Europe/Paris',
    queries: [[catalogKeys.registry, registry]],
  });
  return [...html.matchAll(/<p class="field-hint">([^<]*)<\/p>/g)].map((m) => m[1]);
};

describe('a property comparison says what a marketer may not expect of it', () => {
  it('an empty value looks for an empty one, and points to “is not set” / “is set”', () => {
    expect(hints({ kind: 'property', property: 'plan', op: 'eq', value: '' })).toEqual([
      'Type the value to compare with: as it is, this looks for an empty plan. For contacts without a plan, choose “is not set”.',
    ]);
    expect(hints({ kind: 'property', property: 'plan', op: 'neq', value: '' })).toEqual([
      'Type the value to compare with: as it is, this looks for an empty plan. For contacts with any plan, choose “is set”.',
    ]);
    expect(hints({ kind: 'property', property: 'plan', op: 'eq', value: 'pro' })).toEqual([]);
  });

  it('“within the next” days is for dates ahead: a birthday coming round is its anniversary', () => {
    expect(
      hints({ kind: 'property', property: 'birthday', op: 'within_next', value: '7d' }),
    ).toEqual([
      'Only dates still ahead, such as a renewal or a trial’s end, are within the next days. For a birthday or a signup date coming round again, choose “is in the next … days”.',
    ]);
    expect(
      hints({ kind: 'property', property: 'birthday', op: 'within_last', value: '7d' }),
    ).toEqual([]);
  });

  it('an anniversary in 7 days is that one day, not the week up to it', () => {
    expect(
      hints({ kind: 'property', property: 'birthday', op: 'anniversary_in', days: 7 }),
    ).toEqual([
      'The one day 7 days from today, in each contact’s time zone: not the days before it. For any day from today to then, choose “is in the next … days”.',
    ]);
    expect(
      hints({ kind: 'property', property: 'birthday', op: 'anniversary_in', days: 0 }),
    ).toEqual([]);
  });

  it('a birthday in the next 7 days counts today and the 7th day', () => {
    expect(
      hints({ kind: 'property', property: 'birthday', op: 'anniversary_within', days: 7 }),
    ).toEqual([
      'Any day from today to 7 days from today, both included, in each contact’s time zone, every year.',
    ]);
    expect(
      hints({ kind: 'property', property: 'birthday', op: 'anniversary_within', days: 0 }),
    ).toEqual([]);
  });

  it('says nothing of a number left empty: the number box asks for it', () => {
    expect(hints({ kind: 'property', property: 'seats', op: 'eq', value: 3 })).toEqual([]);
  });

  it('a group such as Segment’s address is compared by one of its values', () => {
    expect(hints({ kind: 'property', property: 'address', op: 'exists' })).toEqual([
      '“address” holds a group of values: to compare one of them, write its name after a dot, such as address.country.',
    ]);
    expect(hints({ kind: 'property', property: 'company', op: 'exists' })[0]).toContain(
      'such as company.name',
    );
    expect(
      hints({ kind: 'property', property: 'address.country', op: 'eq', value: 'France' }),
    ).toEqual([]);
  });
});
