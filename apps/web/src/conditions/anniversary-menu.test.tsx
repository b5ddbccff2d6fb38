import { describe, expect, it } from 'vitest';
import { catalogKeys } from '../lib/catalog';
import { renderForTest } from '../lib/render-for-test';
import { ConditionBuilder } from './condition-builder';

const registry = {
  contact: [{ name: 'birthday', type: 'date', description: '' }],
  events: [],
};

const render = (rule: Record<string, unknown>) =>
  renderForTest(<ConditionBuilder value={rule} onChange={() => {}} path="rule" />, {
    timezone: 'Europe/Paris',
    queries: [[catalogKeys.registry, registry]],
  });

const comparisons = (html: string) => {
  const menu = /<select[^>]*aria-label="Comparison"[^>]*>(.*?)<\/select>/s.exec(html)?.[1] ?? '';
  return [...menu.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].map(
    (m) => `${m[1]}: ${m[2]}`,
  );
};

describe('a date’s comparison menu offers “is in the next … days” for birthdays', () => {
  it('lists it next to “is exactly … days away”', () => {
    const html = render({
      kind: 'property',
      property: 'birthday',
      op: 'anniversary_within',
      days: 7,
    });
    expect(comparisons(html)).toEqual([
      'before: is before',
      'after: is after',
      'within_last: is within the last',
      'within_next: is within the next',
      'more_than_ago: is more than … ago',
      'anniversary_within: is in the next … days',
      'anniversary_in: is exactly … days away',
      'exists: is set',
      'not_exists: is not set',
    ]);
    expect(html).toMatch(/<option value="anniversary_within" selected="">/);
    expect(html).toMatch(/aria-label="Days from today"[^>]*value="7"/);
    expect(html).toContain('<span>days</span>');
  });

  it('says “days away” after the number for the one day', () => {
    const html = render({ kind: 'property', property: 'birthday', op: 'anniversary_in', days: 7 });
    expect(html).toContain('<span>days away</span>');
  });
});
