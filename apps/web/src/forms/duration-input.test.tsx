import { describe, expect, it } from 'vitest';
import { renderForTest } from '../lib/render-for-test';
import { ConditionBuilder } from '../conditions/condition-builder';
import { defaultLeaf } from '../conditions/condition-model';
import { DurationInput } from './duration-input';
import { joinDuration, splitDuration } from './duration';

/** The unit select's options, `*` marking the chosen one. */
function units(html: string): string[] {
  const select = /<select aria-label="[^"]* unit"[^>]*>(.*?)<\/select>/.exec(html)?.[1] ?? '';
  return [...select.matchAll(/<option value="([^"]*)"( selected="")?>([^<]*)<\/option>/g)].map(
    (m) => `${m[3]}${m[2] ? '*' : ''}`,
  );
}

describe('durations in years', () => {
  it('are typed as an amount of years, not 24 months', () => {
    expect(splitDuration('2y')).toEqual({ amount: '2', unit: 'y' });
    expect(joinDuration({ amount: '2', unit: 'y' })).toBe('2y');
    const html = renderForTest(
      <DurationInput id="d" value="2y" onChange={() => {}} label="Subscribed" />,
      { timezone: 'UTC' },
    );
    expect(html).toContain('value="2"');
    expect(units(html)).toEqual(['minutes', 'hours', 'days', 'weeks', 'months', 'years*']);
  });

  it('read in years in the rule’s sentence', () => {
    const rule = { kind: 'property', property: 'subscribed_at', op: 'more_than_ago', value: '2y' };
    const html = renderForTest(<ConditionBuilder value={rule} onChange={() => {}} path="rule" />, {
      timezone: 'UTC',
    });
    expect(html).toContain('more than 2 years ago');
    expect(html).not.toContain('730 days');
  });

  it('are a new total’s window: "in the last year"', () => {
    const leaf = {
      ...defaultLeaf('event_aggregate'),
      event: 'order.completed',
      property: 'amount',
    };
    expect(leaf).toMatchObject({ within: '1y' });
    const html = renderForTest(<ConditionBuilder value={leaf} onChange={() => {}} path="rule" />, {
      timezone: 'UTC',
    });
    expect(html).toContain('in the last year');
  });
});
