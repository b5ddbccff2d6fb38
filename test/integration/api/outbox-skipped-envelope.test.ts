// The outbox (`GET /api/messages`, `/api/messages/:id`) says who a skipped email was for and
// what it was: an email not sent (the address suppressed) is never written, so it has no
// address or subject of its own; the contact's email and the template's name and subject are
// given to fall back on.
import { expect, it } from 'vitest';
import { createTemplate, sendTo, useReportEnv } from './email-reports';

const env = useReportEnv();

it('gives a skipped email’s contact email and template name and subject', async () => {
  const thanks = await createTemplate(env, 'Thank you');
  const created = await env.test.call('POST', '/api/contacts', {
    externalId: 'ada',
    email: 'ada@x.test',
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const ada = created.body.contact.id as string;
  const suppressed = await env.test.call('POST', '/api/suppressions', {
    email: 'ada@x.test',
    reason: 'manual',
  });
  expect(suppressed.status).toBe(201);
  const messageId = await sendTo(env, thanks, ada);

  const list = await env.test.call('GET', '/api/messages');
  expect(list.status).toBe(200);
  const row = (list.body.messages as any[]).find((m) => m.id === messageId);
  expect(row).toMatchObject({
    status: 'skipped',
    to: null,
    subject: null,
    contactEmail: 'ada@x.test',
    template: { name: 'Thank you', subject: 'Thank you for you' },
  });

  const one = await env.test.call('GET', `/api/messages/${messageId}`);
  expect(one.status).toBe(200);
  expect(one.body).toMatchObject({
    contactEmail: 'ada@x.test',
    template: { name: 'Thank you', subject: 'Thank you for you' },
    rendered: null,
  });

  // A template archived since still names what the email was.
  expect((await env.test.call('DELETE', `/api/templates/${thanks}`)).status).toBe(204);
  const later = await env.test.call('GET', `/api/messages?templateId=${thanks}`);
  expect(later.body.messages[0]).toMatchObject({ template: { name: 'Thank you' } });
});
