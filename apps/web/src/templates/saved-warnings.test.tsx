// A saved template's warnings were shown when it was saved: the box no longer says the template
// "can still be saved", which reads as if saving had not happened.
import { expect, it } from 'vitest';
import { catalogKeys } from '../lib/catalog';
import { renderForTest } from '../lib/render-for-test';
import { warningsLead } from './check-warnings';
import { TemplateEditorPage } from './editor-page';
import { templateKeys } from './template-api';

it.each([
  [{ saved: false, dirty: true }, 'Worth a look before sending (the template can still be saved):'],
  [{ saved: true, dirty: true }, 'Worth a look before sending (your changes can still be saved):'],
  [{ saved: true, dirty: false }, 'Saved. Worth a look before it is sent:'],
])('opens the warnings of %j with %j', (state, lead) => {
  expect(warningsLead(state)).toBe(lead);
});

it('says a saved template with warnings was saved', () => {
  const draft = {
    name: 'Thank you',
    kind: 'transactional',
    topic: null,
    from: { name: 'Shop', address: 'shop@example.com' },
    replyTo: null,
    subject: 'Thanks {{ contact.frist_name }}',
    preheader: '',
    body: { kind: 'html', source: '<p>Thanks</p>' },
    text: null,
  };
  const html = renderForTest(<TemplateEditorPage id="t1" />, {
    timezone: 'UTC',
    path: '/templates/t1',
    queries: [
      [catalogKeys.registry, { contact: [], events: [] }],
      [templateKeys.one('t1'), { ...draft, id: 't1', version: 2 }],
      [
        ['templates', 'check', JSON.stringify(draft)],
        {
          ok: true,
          issues: [],
          warnings: [{ field: 'subject', message: '{{ contact.frist_name }} is not a variable' }],
        },
      ],
    ],
  });
  expect(html).toContain('Saved. Worth a look before it is sent:');
  expect(html).toContain('Subject: {{ contact.frist_name }} is not a variable');
  expect(html).not.toContain('can still be saved');
});
