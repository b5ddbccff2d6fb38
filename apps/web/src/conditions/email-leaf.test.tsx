import { describe, expect, it } from 'vitest';
import { renderForTest } from '../lib/render-for-test';
import { ConditionBuilder } from './condition-builder';
import { withEmailAction, withHumanOnly } from './condition-model';

const render = (rule: Record<string, unknown>) =>
  renderForTest(<ConditionBuilder value={rule} onChange={() => {}} path="rule" />, {
    timezone: 'UTC',
  });

const opened = { kind: 'email', action: 'opened', op: 'at_least', count: 1, within: '90d' };

/** The checkbox about people, as `label` with `*` when ticked; null when not offered. */
function personCheck(html: string): string | null {
  const match =
    /<label class="inline-check[^"]*"><input type="checkbox"([^>]*)\/>([^<]*)<\/label>/.exec(html);
  if (!match) return null;
  return `${match[2]}${/checked=""/.test(match[1]!) ? '*' : ''}`;
}

describe('the email engagement condition', () => {
  it('offers to count only opens by a person, off by default', () => {
    expect(personCheck(render(opened))).toBe(
      'Only count opens by a person (not Apple Mail privacy or link scanners)',
    );
  });

  it('shows the option ticked, says what it does to Apple Mail readers, and sums it up', () => {
    const html = render({ ...opened, humanOnly: true });
    expect(personCheck(html)).toBe(
      'Only count opens by a person (not Apple Mail privacy or link scanners)*',
    );
    expect(html).toContain('Apple Mail readers then count only when they click a link.');
    expect(html).toContain('opened any email in the last 90 days, counting only opens by a person');
  });

  it('words it for clicks, and offers it for no action a machine cannot make', () => {
    expect(personCheck(render({ ...opened, action: 'clicked', humanOnly: true }))).toBe(
      'Only count clicks by a person (not link scanners)*',
    );
    expect(personCheck(render({ ...opened, action: 'bounced' }))).toBeNull();
  });

  it('stores nothing when off, and drops the option with an action it does not fit', () => {
    expect(withHumanOnly(opened, true)).toEqual({ ...opened, humanOnly: true });
    expect(withHumanOnly({ ...opened, humanOnly: true }, false)).toEqual(opened);
    expect(withEmailAction({ ...opened, humanOnly: true }, 'clicked')).toEqual({
      ...opened,
      action: 'clicked',
      humanOnly: true,
    });
    expect(withEmailAction({ ...opened, humanOnly: true }, 'unsubscribed')).toEqual({
      ...opened,
      action: 'unsubscribed',
    });
  });
});

describe('which email the condition counts', () => {
  const templates = [{ id: 't-1', name: 'Welcome', archived: false }];
  const renderWith = (rule: Record<string, unknown>) =>
    renderForTest(<ConditionBuilder value={rule} onChange={() => {}} path="rule" />, {
      timezone: 'UTC',
      queries: [[['templates', 'options', 'with-archived'], templates]],
    });

  it('says any email when no template is chosen, not "Choose a template…" as if one had to be', () => {
    const html = renderWith(opened);
    expect(html).toContain('<option value="" selected="">any email</option>');
    expect(html).toContain('<option value="t-1">only the email “Welcome”</option>');
    expect(html).not.toContain('Choose a template');
  });

  it('shows the template chosen, and one since deleted as missing', () => {
    expect(renderWith({ ...opened, templateId: 't-1' })).toContain(
      '<option value="t-1" selected="">only the email “Welcome”</option>',
    );
    expect(renderWith({ ...opened, templateId: 't-gone' })).toContain(
      '<option value="t-gone" selected="">Missing: t-gone</option>',
    );
  });
});
