// The message log (`GET /api/messages`, `/api/messages/:id`) gives each email's first open by a
// machine (`engagement.machineOpenedAt`: Apple Mail Privacy Protection's fetch, a scanner) apart
// from a person's open, through the real tracking route.
import { expect, it } from 'vitest';
import { createTemplate, sendTo, useReportEnv } from './email-reports';

const env = useReportEnv();
const APPLE_PROXY = 'Mozilla/5.0';
const IPHONE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

async function contact(userId: string): Promise<string> {
  const created = await env.test.call('POST', '/api/contacts', {
    externalId: userId,
    email: `${userId}@x.test`,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.contact.id as string;
}

/** Fetches the open pixel of the email the outbox holds for a message, as `userAgent`. */
async function open(messageId: string, userAgent: string) {
  const [message] = await env.db.sql<{ html: string }[]>`
    select html from email_outbox where message_id = ${messageId}`;
  const pixel = /http:\/\/relance\.test(\/t\/o\/[^"'\s]+)/.exec(message!.html)![1]!;
  const response = await env.test.app.request(pixel.replaceAll('&amp;', '&'), {
    headers: { 'user-agent': userAgent },
  });
  expect(response.status).toBeLessThan(400);
}

it('lists when a machine opened an email, which is not a person’s open', async () => {
  const news = await createTemplate(env, 'News');
  const [ada, bob, cy] = await Promise.all(['ada', 'bob', 'cy'].map(contact));
  const toAda = await sendTo(env, news, ada!);
  const toBob = await sendTo(env, news, bob!);
  const toCy = await sendTo(env, news, cy!);
  await open(toAda, APPLE_PROXY);
  await open(toBob, APPLE_PROXY);
  await open(toBob, IPHONE_SAFARI);

  const list = await env.test.call('GET', `/api/messages?templateId=${news}`);
  expect(list.status).toBe(200);
  const byId = new Map(
    (list.body.messages as { id: string; engagement: Record<string, unknown> }[]).map((m) => [
      m.id,
      m.engagement,
    ]),
  );
  const iso = expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown;
  expect(byId.get(toAda)).toMatchObject({ openedAt: null, machineOpenedAt: iso });
  expect(byId.get(toBob)).toMatchObject({ openedAt: iso, machineOpenedAt: iso });
  expect(byId.get(toCy)).toMatchObject({ openedAt: null, machineOpenedAt: null });

  const one = await env.test.call('GET', `/api/messages/${toAda}`);
  expect(one.status).toBe(200);
  expect(one.body.engagement).toMatchObject({ openedAt: null, machineOpenedAt: iso });
});
