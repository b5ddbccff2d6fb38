// A site identifies its visitors on every page: a buyer's newest event is often an identify call
// made after the order. The preview of an order email takes the order, as the journey sending it
// after the order would, instead of the identify call that leaves "Thanks , we got order" empty.
import { expect, it } from 'vitest';
import { onePage, renderForTest } from '../lib/render-for-test';
import { templateKeys } from './template-api';
import { TemplatePreview } from './template-preview';

const contact = { id: 'c1', email: 'ana@shop.test', externalId: null };
const event = (id: string, name: string, at: string) => ({ id, name, at, match: null });

const renderPreview = (events: ReturnType<typeof event>[]) =>
  renderForTest(<TemplatePreview templateId="t1" version={1} dirty={false} usesEvent />, {
    timezone: 'UTC',
    path: '/templates/t1',
    queries: [
      [['contacts', 'first'], { contacts: [contact], nextCursor: null, total: null }],
      [
        templateKeys.previewEvents('c1', null, null),
        onePage({
          events,
          names: [
            { name: '$identify', count: 2 },
            { name: 'order.completed', count: 1 },
          ],
          nextCursor: null,
        }),
      ],
    ],
  });

it('previews after the newest order, not an identify call made after it', () => {
  const html = renderPreview([
    event('e3', '$identify', '2026-11-25T10:05:00Z'),
    event('e2', 'order.completed', '2026-11-25T10:00:00Z'),
    event('e1', '$identify', '2026-11-25T09:55:00Z'),
  ]);
  expect(html).toMatch(/<option value="e2" selected="">order\.completed · /);
  expect(html).not.toContain('<option value="e3" selected="">');
});

it('takes an identify call when the contact has nothing else', () => {
  const html = renderPreview([event('e1', '$identify', '2026-11-25T09:55:00Z')]);
  expect(html).toContain('<option value="e1" selected="">Identified · ');
});
