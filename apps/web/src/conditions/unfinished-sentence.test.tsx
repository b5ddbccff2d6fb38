import { describe, expect, it } from 'vitest';
import { renderForTest } from '../lib/render-for-test';
import { ConditionBuilder } from './condition-builder';
import { defaultLeaf } from './condition-model';

const spent = {
  kind: 'event_aggregate',
  event: 'order.completed',
  property: 'amount',
  fn: 'sum',
  op: 'gt',
  value: 500,
  within: '1y',
};
const vip = { kind: 'tag', op: 'has', tag: 'vip' };

/** The sentence above the builder, or null when there is none. */
function sentence(rule: Record<string, unknown>): string | null {
  const html = renderForTest(<ConditionBuilder value={rule} onChange={() => {}} path="rule" />, {
    timezone: 'UTC',
  });
  return (
    /<p class="condition-summary">(.*?)<\/p>/
      .exec(html)?.[1]
      ?.replace(/<!-- -->/g, '')
      .replace(/&#x27;/g, "'") ?? null
  );
}

describe('the rule’s sentence while a condition is being filled in', () => {
  it('keeps reading what is finished when “+ Condition” adds an empty one', () => {
    expect(sentence({ kind: 'all', conditions: [spent, defaultLeaf('event_last')] })).toBe(
      'total amount of order.completed events in the last year is more than 500; 1 condition still to finish',
    );
  });

  it('counts unfinished conditions in nested groups and keeps their finished neighbours', () => {
    expect(
      sentence({
        kind: 'all',
        conditions: [
          spent,
          {
            kind: 'any',
            conditions: [vip, { kind: 'property', property: '', op: 'eq', value: '' }],
          },
          { kind: 'not', condition: { kind: 'tag', op: 'has', tag: '' } },
        ],
      }),
    ).toBe(
      "total amount of order.completed events in the last year is more than 500 and has tag 'vip'; 2 conditions still to finish",
    );
  });

  it('reads a finished rule as before, and shows nothing while nothing is finished', () => {
    expect(sentence({ kind: 'all', conditions: [spent, vip] })).toBe(
      "total amount of order.completed events in the last year is more than 500 and has tag 'vip'",
    );
    expect(sentence({ kind: 'all', conditions: [defaultLeaf('event_last')] })).toBeNull();
  });
});
