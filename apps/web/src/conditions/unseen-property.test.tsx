import { describe, expect, it } from 'vitest';
import { catalogKeys } from '../lib/catalog';
import { renderForTest } from '../lib/render-for-test';
import { ConditionBuilder } from './condition-builder';

// A workspace that has received plan, country and an address group on its contacts, and orders
// with an amount, a number of items and a currency.
const registry = {
  contact: [
    { name: 'plan', type: 'string', description: '' },
    { name: 'country', type: 'string', description: '' },
    { name: 'address', type: 'object', description: '' },
  ],
  events: [
    {
      name: 'order.completed',
      properties: [
        { name: 'amount', type: 'number', description: '' },
        { name: 'items', type: 'number', description: '' },
        { name: 'currency', type: 'string', description: '' },
      ],
    },
  ],
};

const render = (rule: Record<string, unknown>) =>
  renderForTest(<ConditionBuilder value={rule} onChange={() => {}} path="rule" />, {
    timezone: 'UTC',
    queries: [[catalogKeys.registry, registry]],
  });

/** The hints under the condition's boxes. */
const hints = (html: string) =>
  [...html.matchAll(/<p class="field-hint">([^<]*)<\/p>/g)].map((m) => m[1]);

const property = (name: string) => ({ kind: 'property', property: name, op: 'eq', value: '100' });
const spent = (name: string, fn = 'sum') => ({
  kind: 'event_aggregate',
  event: 'order.completed',
  property: name,
  fn,
  op: 'gt',
  value: 500,
  within: '1y',
});

describe('a condition on a property nothing has carried yet', () => {
  it('says no contact has it, instead of silently counting nobody', () => {
    expect(hints(render(property('lifetime_value')))).toEqual([
      'No contact has a “lifetime_value” property yet: check the spelling, or ignore this if it is new.',
    ]);
  });

  it.each(['plan', '$created_at', 'address.city', ''])('says nothing for %j', (name) => {
    expect(hints(render(property(name)))).toEqual([]);
  });

  it('names the properties the event has when a total is of one it lacks', () => {
    expect(hints(render(spent('total')))).toEqual([
      'No “order.completed” event received so far has a “total” property. They have: amount, items, currency.',
    ]);
    expect(hints(render(spent('amount')))).toEqual([]);
  });

  it('says a total of text cannot be made, and which numbers can', () => {
    expect(hints(render(spent('currency')))).toEqual([
      '“currency” holds text, not numbers: no total can be made of it. Choose a number, such as amount or items.',
    ]);
    expect(hints(render(spent('currency', 'avg')))[0]).toContain('no average can be made of it');
  });
});
