// The editor offers `| money` where it offers merge fields, reading the property the workspace's
// orders carry their value in, so a marketer writes "€59.90" instead of "59.9".
import { expect, it } from 'vitest';
import { catalogKeys } from '../lib/catalog';
import { renderForTest } from '../lib/render-for-test';
import { workspaceKey } from '../lib/workspace';
import { TemplateEditorPage } from './editor-page';
import { moneyLiquid } from './greeting';

it.each([
  [null, '{{ event.amount | money }}'],
  ['', '{{ event.amount | money }}'],
  ['total', '{{ event.total | money }}'],
  ['order total', '{{ event["order total"] | money }}'],
])('writes an order value of property %j as %s', (property, expected) => {
  expect(moneyLiquid(property)).toBe(expected);
});

it('offers the money filter on the order value, with how it reads in the workspace currency', () => {
  const html = renderForTest(<TemplateEditorPage />, {
    timezone: 'UTC',
    path: '/templates/new',
    queries: [
      [catalogKeys.registry, { contact: [], events: [] }],
      [workspaceKey, { timezone: 'UTC', currency: 'GBP', conversionValueProperty: 'total' }],
    ],
  });
  expect(html).toContain('<code>{{ event.total | money }}</code> (£59.90)');
});
