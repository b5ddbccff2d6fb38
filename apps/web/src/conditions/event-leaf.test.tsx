import { describe, expect, it } from 'vitest';
import { renderForTest } from '../lib/render-for-test';
import { ConditionBuilder } from './condition-builder';
import { machineAction, withEvent } from './condition-model';

const render = (rule: Record<string, unknown>) =>
  renderForTest(<ConditionBuilder value={rule} onChange={() => {}} path="rule" />, {
    timezone: 'UTC',
  });

const noClick = {
  kind: 'event_last',
  event: 'email.clicked',
  op: 'more_than',
  duration: '15d',
  includeNever: true,
};

/** The checkboxes of a leaf, as `label` with `*` when ticked. */
function checks(html: string): string[] {
  return [
    ...html.matchAll(
      /<label class="inline-check[^"]*"><input type="checkbox"([^>]*)\/>([^<]*)<\/label>/g,
    ),
  ].map((m) => `${m[2]}${/checked=""/.test(m[1]!) ? '*' : ''}`);
}

describe('"last time they did" an open or a click', () => {
  it('offers to count only clicks by a person, off by default', () => {
    expect(checks(render(noClick))).toEqual([
      'or never (counting from when they joined)*',
      'Only count clicks by a person (not link scanners)',
    ]);
  });

  it('shows it ticked and sums it up, as the built-in Inactive segment has it', () => {
    const html = render({ ...noClick, humanOnly: true });
    expect(checks(html)).toContain('Only count clicks by a person (not link scanners)*');
    expect(html).toContain('counting only clicks by a person');
  });

  it('words it for opens, with what it does to Apple Mail readers', () => {
    const html = render({ ...noClick, event: 'email.opened', op: 'within', humanOnly: true });
    expect(checks(html)).toEqual([
      'Only count opens by a person (not Apple Mail privacy or link scanners)*',
    ]);
    expect(html).toContain('Apple Mail readers then count only when they click a link.');
  });

  it('does not offer it for events no machine makes', () => {
    expect(checks(render({ ...noClick, event: 'order.completed' }))).toEqual([
      'or never (counting from when they joined)*',
    ]);
    expect(checks(render({ ...noClick, event: 'email.bounced' }))).toEqual([
      'or never (counting from when they joined)*',
    ]);
  });

  it('drops the option when the event changes to one it does not fit', () => {
    const ticked = { ...noClick, humanOnly: true };
    expect(withEvent(ticked, 'email.opened')).toEqual({ ...ticked, event: 'email.opened' });
    expect(withEvent(ticked, 'page.viewed')).toEqual({ ...noClick, event: 'page.viewed' });
    expect(machineAction({ kind: 'event_count', event: 'email.clicked' })).toBeUndefined();
    expect(machineAction({ kind: 'email', action: 'opened' })).toBe('opened');
  });
});

describe('a total or average of an event value', () => {
  const registry = {
    contact: [{ name: 'total_spent', type: 'number', description: '' }],
    events: [
      {
        name: 'order.completed',
        properties: [{ name: 'amount', type: 'number', description: '' }],
      },
    ],
  };
  const spent = { kind: 'event_aggregate', fn: 'sum', op: 'gt', value: 500, within: '365d' };
  const renderWith = (rule: Record<string, unknown>) =>
    renderForTest(<ConditionBuilder value={rule} onChange={() => {}} path="rule" />, {
      timezone: 'UTC',
      queries: [[['known-properties'], registry]],
    });

  it('asks for the event before its property, instead of offering the contact’s properties', () => {
    const html = renderWith({ ...spent, event: '', property: '' });
    expect(html).not.toContain('value="total_spent"');
    expect(html).toMatch(/<input id="[^"]*" placeholder="choose the event first" disabled=""/);
  });

  it('offers the properties of the event chosen', () => {
    const html = renderWith({ ...spent, event: 'order.completed', property: '' });
    expect(html).toContain('<option value="amount"');
    expect(html).not.toContain('value="total_spent"');
  });
});
