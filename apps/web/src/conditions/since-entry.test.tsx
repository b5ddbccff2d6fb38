import { describe, expect, it } from 'vitest';
import { renderForTest } from '../lib/render-for-test';
import { ConditionBuilder } from './condition-builder';
import { InJourneyContext } from './leaf-parts';

const noNewOrder = { kind: 'event_count', event: 'order.completed', op: 'exactly', count: 0 };

const render = (rule: Record<string, unknown>, inJourney: boolean) =>
  renderForTest(
    <InJourneyContext value={inJourney}>
      <ConditionBuilder value={rule} onChange={() => {}} path="rule" />
    </InJourneyContext>,
    { timezone: 'UTC' },
  );

/** The time window's options, `*` marking the chosen one. */
function windows(html: string): string[] {
  const select = /<select aria-label="Time window"[^>]*>(.*?)<\/select>/.exec(html)?.[1] ?? '';
  return [...select.matchAll(/<option value="[^"]*"( selected="")?>([^<]*)<\/option>/g)].map(
    (m) => `${m[2]}${m[1] ? '*' : ''}`,
  );
}

describe('"since they entered the journey"', () => {
  it('is offered as a count’s time window in a journey, and reads in the summary', () => {
    const html = render({ ...noNewOrder, sinceEntry: true }, true);
    expect(windows(html)).toEqual(['in the last', 'since they entered the journey*', 'ever']);
    expect(html).toContain('since they entered the journey</p>');
    expect(windows(render(noNewOrder, true))).toEqual([
      'in the last',
      'since they entered the journey',
      'ever*',
    ]);
  });

  it('is not offered in a segment, which has no entry', () => {
    expect(windows(render(noNewOrder, false))).toEqual(['in the last', 'ever*']);
  });

  it('is offered for emails and totals too', () => {
    const email = { kind: 'email', action: 'clicked', op: 'at_least', count: 1 };
    expect(windows(render(email, true))).toContain('since they entered the journey');
    const spent = {
      kind: 'event_aggregate',
      event: 'order.completed',
      property: 'amount',
      fn: 'sum',
      op: 'gt',
      value: 100,
    };
    expect(windows(render(spent, true))).toContain('since they entered the journey');
  });
});
