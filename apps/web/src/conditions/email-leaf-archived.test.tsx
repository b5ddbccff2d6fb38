import { describe, expect, it } from 'vitest';
import { renderForTest } from '../lib/render-for-test';
import { ConditionBuilder } from './condition-builder';

// An archived template's emails were sent and are still opened and clicked: a condition may
// count them, so the picker offers it, after the live ones and saying it is archived.
const opened = { kind: 'email', action: 'opened', op: 'at_least', count: 1, within: '90d' };
const everyTemplate = [
  { id: 't-spring', name: 'Spring sale', archived: true },
  { id: 't-welcome', name: 'Welcome', archived: false },
  { id: 't-tips', name: 'Tips', archived: false },
];
const render = (rule: Record<string, unknown>) =>
  renderForTest(<ConditionBuilder value={rule} onChange={() => {}} path="rule" />, {
    timezone: 'UTC',
    queries: [[['templates', 'options', 'with-archived'], everyTemplate]],
  });

/** The options of the "Which email" list, as they read. */
function choices(html: string): string[] {
  const list = /<select id="[^"]*"><option value=""[^>]*>any email<\/option>.*?<\/select>/.exec(
    html,
  );
  return [
    ...(list?.[0] ?? '').matchAll(/<option value="([^"]*)"( selected="")?>([^<]*)<\/option>/g),
  ].map(([, value, selected, label]) => `${value}: ${label}${selected ? ' *' : ''}`);
}

describe('the template picker of an email condition', () => {
  it('offers archived templates after the live ones, saying they are archived', () => {
    expect(choices(render(opened))).toEqual([
      ': any email *',
      't-welcome: only the email “Welcome”',
      't-tips: only the email “Tips”',
      't-spring: only the email “Spring sale” (archived)',
    ]);
  });

  it('shows an archived template already chosen by its name, not as missing', () => {
    const html = render({ ...opened, templateId: 't-spring' });
    expect(choices(html)).toContain('t-spring: only the email “Spring sale” (archived) *');
    expect(html).not.toContain('Missing');
  });

  it('still shows a deleted template as missing', () => {
    expect(choices(render({ ...opened, templateId: 't-gone' }))).toContain(
      't-gone: Missing: t-gone *',
    );
  });
});
