// The reports count the emails opened only by a machine (Apple Mail Privacy Protection's
// prefetch, a scanner) apart, as `machineOpened`, beside the people's `opened`: through the real
// tracking routes, in the overview, the templates list and a template's report.
import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '@relance/db';
import { createTemplate, sendTo, useReportEnv } from './email-reports';

const env = useReportEnv();
const APPLE_PROXY = 'Mozilla/5.0';
const IPHONE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const SOURCE =
  '<p><a href="https://acme.test/offer">See the offer</a></p>' +
  '<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>';

async function contact(userId: string): Promise<string> {
  const created = await env.test.call('POST', '/api/contacts', {
    externalId: userId,
    email: `${userId}@x.test`,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.contact.id as string;
}

/** The signed open pixel and first click link of the email the outbox holds for a message. */
async function linksOf(messageId: string) {
  const [message] = await env.db.sql<{ html: string }[]>`
    select html from email_outbox where message_id = ${messageId}`;
  const path = (prefix: string) => {
    const found = new RegExp(`http://relance\\.test(${prefix}[^"'\\s]+)`).exec(message!.html);
    if (!found) throw new Error(`No ${prefix} link in message ${messageId}`);
    return found[1]!.replaceAll('&amp;', '&');
  };
  return { open: path('/t/o/'), click: path('/t/c/') };
}

async function hit(path: string, userAgent: string, method = 'GET') {
  const response = await env.test.app.request(path, {
    method,
    headers: { 'user-agent': userAgent },
    redirect: 'manual',
  });
  expect(response.status).toBeLessThan(400);
}

it('counts the emails opened only by Apple’s proxy apart from those a person opened', async () => {
  const newsletter = await createTemplate(env, 'Newsletter', SOURCE);
  const [ada, bob, cy, dee] = await Promise.all(['ada', 'bob', 'cy', 'dee'].map(contact));
  const links = async (to: string) => linksOf(await sendTo(env, newsletter, to));

  // Ada reads Apple Mail: the proxy fetches her email on delivery (twice), nothing else is seen.
  const toAda = await links(ada!);
  await hit(toAda.open, APPLE_PROXY);
  await hit(toAda.open, APPLE_PROXY);
  // Bob reads Apple Mail too, and clicks: a person's open, not a machine's only.
  const toBob = await links(bob!);
  await hit(toBob.open, APPLE_PROXY);
  await hit(toBob.click, IPHONE_SAFARI);
  // Cy opens it in his browser.
  const toCy = await links(cy!);
  await hit(toCy.open, IPHONE_SAFARI);
  // Dee's gateway checks the link (HEAD): a machine's click is no open.
  const toDee = await links(dee!);
  await hit(toDee.click, IPHONE_SAFARI, 'HEAD');

  const expected = { sent: 4, opened: 2, machineOpened: 1, clicked: 1 };
  const overview = await env.test.call('GET', '/api/overview?days=30');
  expect(overview.status).toBe(200);
  expect(overview.body.email.totals).toMatchObject(expected);
  expect(overview.body.email.journeys).toEqual([
    expect.objectContaining({ journeyId: null, ...expected }),
  ]);

  const report = await env.test.call('GET', `/api/templates/${newsletter}/performance?days=30`);
  expect(report.status).toBe(200);
  expect(report.body.totals).toMatchObject(expected);

  const list = await env.test.call('GET', '/api/templates/performance?days=30');
  expect(list.status).toBe(200);
  expect(list.body.templates[newsletter]).toMatchObject(expected);
});

it('answers no machine opens where there were none', async () => {
  const quiet = await createTemplate(env, 'Quiet');
  const report = await env.test.call('GET', `/api/templates/${quiet}/performance?days=7`);
  expect(report.body.totals).toMatchObject({ sent: 0, machineOpened: 0 });
});

it('fills the machine opens of the emails sent before migration 0078 from their events', async () => {
  const digest = await createTemplate(env, 'Digest', SOURCE);
  const [eve, fay] = await Promise.all(['eve', 'fay'].map(contact));
  const toEve = await sendTo(env, digest, eve!);
  const toFay = await sendTo(env, digest, fay!);
  await hit((await linksOf(toEve)).open, APPLE_PROXY);
  await hit((await linksOf(toFay)).open, IPHONE_SAFARI);
  const [before] = await env.db.sql<{ at: Date }[]>`
    select machine_opened_at as at from email_messages where id = ${toEve}`;
  expect(before!.at).toBeInstanceOf(Date);

  // The database as it was before 0078, with these events recorded; then 0078 itself.
  await env.db.sql`alter table email_messages drop column machine_opened_at`;
  await env.db.sql.unsafe(
    await readFile(`${MIGRATIONS_DIR}/0078_email_message_machine_open.sql`, 'utf8'),
  );
  const rows = await env.db.sql<{ id: string; at: Date | null }[]>`
    select id::text, machine_opened_at as at from email_messages where id in (${toEve}, ${toFay})`;
  expect(Object.fromEntries(rows.map((r) => [r.id, r.at?.toISOString() ?? null]))).toEqual({
    [toEve]: before!.at.toISOString(),
    [toFay]: null,
  });
  const report = await env.test.call('GET', `/api/templates/${digest}/performance?days=30`);
  expect(report.body.totals).toMatchObject({ sent: 2, opened: 1, machineOpened: 1 });
});
