import { describe, expect, it } from 'vitest';
import { inspectTemplate } from './check-template';
import { htmlLiquid, parseLiquid, plainLiquid } from './liquid';
import { marketingTemplate } from './test-fixtures';

const render = (source: string, scope: Record<string, unknown>) => {
  const parsed = parseLiquid(plainLiquid, source);
  if (!parsed.ok) throw new Error(parsed.problem.message);
  return plainLiquid.renderSync(parsed.program, scope);
};

const EUR = { workspace: { currency: 'EUR' } };

describe('money', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['{{ event.amount | money }}', { ...EUR, event: { amount: 59.9 } }, '€59.90'],
    ['{{ event.amount | money }}', { ...EUR, event: { amount: '59.9' } }, '€59.90'],
    ['{{ event.amount | money }}', { ...EUR, event: { amount: 1240.5 } }, '€1,240.50'],
    ['{{ event.amount | money: "USD" }}', { ...EUR, event: { amount: 12 } }, '$12.00'],
    ['{{ event.amount | money: "usd" }}', { ...EUR, event: { amount: 12 } }, '$12.00'],
    ['{{ event.amount | money: "JPY" }}', { ...EUR, event: { amount: 1200 } }, '¥1,200'],
    // Not a currency: the workspace's is used rather than failing the email.
    ['{{ event.amount | money: "dollars" }}', { ...EUR, event: { amount: 5 } }, '€5.00'],
    [
      '{{ event.amount | money }}',
      { workspace: { currency: 'EUR', page_language: 'fr' }, event: { amount: 59.9 } },
      '59,90\u00a0€',
    ],
    [
      '{{ event.amount | money }}',
      {
        workspace: { currency: 'EUR', page_language: 'fr' },
        contact: { locale: 'de-DE' },
        event: { amount: 1240.5 },
      },
      '1.240,50\u00a0€',
    ],
    [
      '{{ event.amount | money }}',
      { workspace: { currency: 'EUR' }, contact: { language: 'nonsense!' }, event: { amount: 3 } },
      '€3.00',
    ],
    // Without a currency known, still an amount, never "NaN".
    ['{{ event.amount | money }}', { event: { amount: 59.9 } }, '59.90'],
  ])('%s with %j writes %j', (source, scope, expected) => {
    expect(render(source, scope)).toBe(expected);
  });

  it.each<[unknown, string]>([
    [undefined, '[]'],
    [null, '[]'],
    ['', '[]'],
    ['soon', '[soon]'],
    ['12 EUR', '[12 EUR]'],
    [Number.NaN, '[]'],
    [Number.POSITIVE_INFINITY, '[]'],
    [true, '[true]'],
  ])('writes %s, not an amount, as it is', (amount, expected) => {
    const shown = render('[{{ event.amount | money }}]', { ...EUR, event: { amount } });
    expect(shown).toBe(expected);
    expect(shown).not.toContain('NaN');
  });

  it('escapes what it writes as it is in HTML', () => {
    const parsed = parseLiquid(htmlLiquid, '{{ event.amount | money }}');
    expect(
      parsed.ok && htmlLiquid.renderSync(parsed.program, { ...EUR, event: { amount: '<b>' } }),
    ).toBe('&lt;b&gt;');
  });

  it('is a filter the template check knows, with the workspace currency a variable it knows', async () => {
    const inspection = await inspectTemplate(
      marketingTemplate({
        subject: 'Your {{ event.amount | money }} order',
        preheader: 'Paid in {{ workspace.currency }}: {{ event.amount | money: "USD" }}',
      }),
      { contact: ['first_name'], event: ['amount', 'product', 'product_id', 'url'] },
    );
    expect(inspection).toEqual({ issues: [], warnings: [] });
  });
});
