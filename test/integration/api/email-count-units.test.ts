// What the email reports count: emails, each once, so every rate (opened / sent, …) divides
// emails by emails. A contact sent several emails counts once per email; an erased contact's
// emails keep counting; a soft bounce the provider delivered after counts as delivered; a send
// whose answer was lost (never sent again) counts as sent, one still in flight does not.
import { expect, it } from 'vitest';
import { eraseContact } from '@relance/db';
import { createTemplate, sendTo, useReportEnv } from './email-reports';

const env = useReportEnv();
const call = (method: string, path: string, body?: unknown) => env.test.call(method, path, body);

async function contact(userId: string): Promise<string> {
  const created = await call('POST', '/api/contacts', {
    externalId: userId,
    email: `${userId}@x.test`,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.contact.id as string;
}

async function track(userId: string, event: string, messageId: string) {
  const response = await env.test.app.request('/v1/track', {
    method: 'POST',
    headers: { authorization: `Bearer ${env.writeKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ userId, event, properties: { messageId } }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

const totalsOf = async (templateId: string) => {
  const report = await call('GET', `/api/templates/${templateId}/performance`);
  expect(report.status).toBe(200);
  return report.body.totals as Record<string, number>;
};

it('counts opens, clicks and orders per email, so a contact sent four emails who opened them all is 100% opened, even once erased', async () => {
  const weekly = await createTemplate(env, 'Weekly');
  const ada = await contact('ada');
  const bob = await contact('bob');
  const sent: string[] = [];
  for (const [userId, contactId] of [
    ['ada', ada],
    ['bob', bob],
  ] as const) {
    for (const week of [1, 2]) {
      const messageId = await sendTo(env, weekly, contactId, { key: `weekly:${week}:${userId}` });
      sent.push(messageId);
      await track(userId, 'email.opened', messageId);
      // Ada clicks both of hers.
      if (userId === 'ada') await track(userId, 'email.clicked', messageId);
    }
  }
  expect(await totalsOf(weekly)).toMatchObject({ sent: 4, opened: 4, clicked: 2 });
  const listed = await call('GET', '/api/templates/performance');
  expect(listed.body.templates[weekly]).toMatchObject({ sent: 4, opened: 4, clicked: 2 });
  const overview = await call('GET', '/api/overview');
  expect(overview.body.email.totals).toMatchObject({ sent: 4, opened: 4, clicked: 2 });

  // Ada asks to be erased: her emails were sent and opened all the same.
  await eraseContact(env.db.sql, { workspaceId: env.db.workspaceId, contactId: ada });
  expect(await totalsOf(weekly)).toMatchObject({ sent: 4, opened: 4, clicked: 2 });
});

it('counts a soft bounce delivered after as delivered, and a send whose answer was lost as sent', async () => {
  const offer = await createTemplate(env, 'Offer');
  const [cy, dee, eve, fay, gus] = await Promise.all(
    ['cy', 'dee', 'eve', 'fay', 'gus'].map(contact),
  );
  const toCy = await sendTo(env, offer, cy!);
  const toDee = await sendTo(env, offer, dee!);
  const toEve = await sendTo(env, offer, eve!);
  const toFay = await sendTo(env, offer, fay!);
  const toGus = await sendTo(env, offer, gus!);
  const feedback = async (body: Record<string, unknown>) =>
    expect((await call('POST', '/api/webhooks/email-feedback', body)).status).toBe(200);
  // Cy's mailbox was full, then the provider's retry delivered it.
  await feedback({
    type: 'bounce',
    bounceType: 'soft',
    recipient: 'cy@x.test',
    messageId: toCy,
    detail: '452 4.2.2 mailbox full',
  });
  await feedback({ type: 'delivery', recipient: 'cy@x.test', messageId: toCy });
  // Dee's address does not exist.
  await feedback({
    type: 'bounce',
    bounceType: 'hard',
    recipient: 'dee@x.test',
    messageId: toDee,
    detail: '550 5.1.1 no such user',
  });
  // Eve's went out and the server's answer was lost (the send path leaves it `sending` with the
  // loss noted, never to be sent again); Fay's is being sent right now; Gus's too, a second
  // attempt after a temporary failure whose error is still on it.
  await env.db.sql`
    update email_messages set status = 'sending', sent_at = null,
      claimed_at = now() - interval '2 seconds', updated_at = now(),
      last_error = 'The connection was lost after the message was handed over'
    where id = ${toEve}`;
  await env.db.sql`
    update email_messages set status = 'sending', sent_at = null, claimed_at = now(),
      updated_at = now()
    where id = ${toFay}`;
  await env.db.sql`
    update email_messages set status = 'sending', sent_at = null, claimed_at = now(),
      updated_at = now(), last_error = '421 try again later'
    where id = ${toGus}`;
  await track('eve', 'email.opened', toEve);

  expect(await totalsOf(offer)).toMatchObject({
    sent: 3,
    delivered: 1,
    bounced: 1,
    opened: 1,
    failed: 0,
  });
  // Claimed long ago by attempts that never reported back: sent too.
  await env.db.sql`
    update email_messages set claimed_at = now() - interval '1 hour'
    where id in ${env.db.sql([toFay, toGus])}`;
  expect(await totalsOf(offer)).toMatchObject({ sent: 5 });
});
