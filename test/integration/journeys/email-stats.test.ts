import { beforeAll, expect, it } from 'vitest';
import { addTags, recordEvents } from '@relance/db';
import { createDocumentBuilder } from '@relance/flow';
import { suppressAddress, upsertEmailTopic } from '@relance/email';
import { createTestApp } from '../../support/app';
import { createContact, eventually, useJourneyEnv } from './harness';

// GET /api/journeys/:id/email-stats over messages sent by the real send activity (dev outbox),
// engagement recorded by the real tracking, unsubscribe and feedback routes, and a real goal.

const env = useJourneyEnv({ worker: true });
let call: ReturnType<typeof createTestApp>['call'];
let request: (path: string, init?: RequestInit) => Promise<Response>;

beforeAll(async () => {
  const test = createTestApp({ db: env.db, temporal: env.temporal, dispatcher: env.runtime });
  call = test.call;
  request = async (path, init) => test.app.request(path, init);
  await upsertEmailTopic(env.db.sql, {
    workspaceId: env.db.workspaceId,
    key: 'offers',
    name: 'Offers',
    optIn: false,
  });
});

/** manual → send the offer → exit; goal "becomes a customer" counted for an hour after. */
async function offerJourney() {
  const template = await call('POST', '/api/templates', {
    name: 'Offer',
    kind: 'marketing',
    topic: 'offers',
    from: { name: 'Acme', address: 'news@acme.test' },
    subject: '20% off',
    body: {
      kind: 'html',
      source:
        '<p><a href="https://acme.test/offer">See the offer</a></p>' +
        '<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
    },
  });
  expect(template.status).toBe(201);
  const b = createDocumentBuilder('Offer', { goalWindow: '1h' });
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node('send_offer', 'action.send_email', { templateId: template.body.id }, 0, 1);
  b.node('exit', 'logic.exit', {}, 0, 2);
  b.node(
    'customer',
    'logic.goal',
    { condition: { kind: 'tag', op: 'has', tag: 'customer' } },
    1,
    0,
  );
  b.edge('trigger', 'send_offer');
  b.edge('send_offer', 'exit');
  const created = await call('POST', '/api/journeys', b.build());
  expect(created.status).toBe(201);
  expect((await call('POST', `/api/journeys/${created.body.id}/publish`, {})).status).toBe(201);
  return created.body.id as string;
}

/** The signed tracking paths in the email the outbox holds for `address`. */
async function linksSentTo(address: string) {
  const [message] = await env.db.sql<{ html: string; messageId: string }[]>`
    select html, message_id from email_outbox where to_address = ${address}`;
  const path = (prefix: string) => {
    const found = new RegExp(`http://relance\\.test(${prefix}[^"'\\s]+)`).exec(message!.html);
    if (!found) throw new Error(`No ${prefix} link in the email to ${address}`);
    return found[1]!.replaceAll('&amp;', '&');
  };
  return {
    messageId: message!.messageId,
    open: path('/t/o/'),
    click: path('/t/c/'),
    unsubscribe: path('/u/'),
  };
}

async function feedback(body: unknown) {
  const answer = await call('POST', '/api/webhooks/email-feedback', body);
  expect(answer.status).toBe(200);
}

it('counts sends, opens, clicks, unsubscribes, bounces, skips, conversions and orders per email step', async () => {
  const journeyId = await offerJourney();
  const [ada, bob, cy, dee] = await Promise.all(
    ['ada', 'bob', 'cy', 'dee'].map((who) => createContact(env, { email: `${who}@example.com` })),
  );
  // Dee's mailbox bounced hard before: her email is skipped, with the reason.
  await suppressAddress(env.db.sql, {
    workspaceId: env.db.workspaceId,
    email: 'dee@example.com',
    reason: 'hard_bounce',
    detail: 'earlier bounce',
    messageId: null,
  });
  for (const contactId of [ada, bob, cy, dee]) {
    expect((await call('POST', `/api/journeys/${journeyId}/enrol`, { contactId })).status).toBe(
      201,
    );
  }
  await eventually(async () => {
    const [row] = await env.db.sql<{ n: number }[]>`
      select count(*)::int as n from journey_runs where journey_id = ${journeyId} and status = 'completed'`;
    return row!.n === 4;
  });

  // Ada opens and clicks twice (counted once each); Bob opens and unsubscribes in one click
  // from his mail client; Cy's email bounces; Bob's delivery is reported.
  const adaLinks = await linksSentTo('ada@example.com');
  for (const path of [adaLinks.open, adaLinks.click, adaLinks.open, adaLinks.click]) {
    expect((await request(path)).status).toBeLessThan(400);
  }
  const bobLinks = await linksSentTo('bob@example.com');
  expect((await request(bobLinks.open)).status).toBe(200);
  const oneClick = await request(bobLinks.unsubscribe, {
    method: 'POST',
    body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
  });
  expect(oneClick.status).toBe(200);
  await feedback({
    type: 'delivery',
    recipient: 'bob@example.com',
    messageId: bobLinks.messageId,
  });
  const cyLinks = await linksSentTo('cy@example.com');
  await feedback({
    type: 'bounce',
    bounceType: 'hard',
    recipient: 'cy@example.com',
    messageId: cyLinks.messageId,
    detail: '550 5.1.1 no such user',
  });

  // Ada becomes a customer after her email: a conversion within the goal window.
  const { changeIds } = await addTags(env.db.sql, {
    workspaceId: env.db.workspaceId,
    contactId: ada!,
    tags: ['customer'],
    cause: 'test',
    now: new Date(),
  });
  await env.runtime.segmentsChanged(env.db.workspaceId, changeIds);
  await env.runtime.contactsChanged(env.db.workspaceId, [ada!]);
  // Her order, and Cy's (who never opened his): only Ada's is the email's.
  await recordEvents(env.db.sql, env.db.workspaceId, [
    { contactId: ada!, name: 'order.completed', properties: { amount: 80 } },
    { contactId: cy!, name: 'order.completed', properties: { amount: 15 } },
  ]);

  const stats = await call('GET', `/api/journeys/${journeyId}/email-stats`);
  expect(stats.status).toBe(200);
  expect(stats.body).toEqual({
    nodes: {
      send_offer: {
        sent: 3,
        delivered: 1,
        opened: 2,
        machineOpened: 0,
        clicked: 1,
        unsubscribed: 1,
        bounced: 1,
        complained: 0,
        failed: 0,
        skipped: { suppressed_hard_bounce: 1 },
        deferred: 0,
        conversions: 1,
        converted: 1,
        orders: 1,
        revenue: 80,
      },
    },
  });
  // The journeys list sums each journey's orders up.
  const orders = await call('GET', '/api/journeys/orders');
  expect(orders.status).toBe(200);
  expect(orders.body).toEqual({ journeys: { [journeyId]: { orders: 1, revenue: 80 } } });
});

it("keeps counting an erased contact's emails on the step, as the overview does", async () => {
  const journeyId = await offerJourney();
  const [eve, fay, gus] = await Promise.all(
    ['eve', 'fay', 'gus'].map((who) => createContact(env, { email: `${who}@example.com` })),
  );
  for (const contactId of [eve, fay, gus]) {
    expect((await call('POST', `/api/journeys/${journeyId}/enrol`, { contactId })).status).toBe(
      201,
    );
  }
  await eventually(async () => {
    const [row] = await env.db.sql<{ n: number }[]>`
      select count(*)::int as n from journey_runs where journey_id = ${journeyId} and status = 'completed'`;
    return row!.n === 3;
  });
  // Eve and Fay open their emails and click; then Eve asks to be erased.
  for (const who of ['eve', 'fay']) {
    const links = await linksSentTo(`${who}@example.com`);
    expect((await request(links.click)).status).toBeLessThan(400);
  }
  // Each email names the step and the version that sent it.
  const [version] = await env.db.sql<{ id: string }[]>`
    select id from journey_versions where journey_id = ${journeyId}`;
  const sent = await env.db.sql<{ nodeId: string; versionId: string }[]>`
    select node_id, version_id::text from email_messages where journey_id = ${journeyId}`;
  expect(sent).toEqual(Array(3).fill({ nodeId: 'send_offer', versionId: version!.id }));
  // An email recorded before steps were kept on messages is found by its key.
  await env.db.sql`
    update email_messages set node_id = null, version_id = null
    where journey_id = ${journeyId} and contact_id = ${gus!}`;
  const erased = await call('DELETE', `/api/contacts/${eve}`);
  expect(erased).toMatchObject({
    status: 200,
    body: { deleted: { journeyRuns: 1, messagesAnonymised: 1 } },
  });

  const stats = await call('GET', `/api/journeys/${journeyId}/email-stats`);
  expect(stats.status).toBe(200);
  expect(stats.body.nodes).toEqual({
    send_offer: expect.objectContaining({ sent: 3, opened: 2, clicked: 2, skipped: {} }),
  });
  // The overview counts the same emails for the journey.
  const overview = await call('GET', '/api/overview');
  expect(overview.status).toBe(200);
  const { sent: s, opened, clicked } = stats.body.nodes.send_offer;
  expect(overview.body.email.journeys).toContainEqual(
    expect.objectContaining({ journeyId, sent: s, opened, clicked }),
  );
});

it('answers an empty map for a journey that sent nothing, 404 for an unknown one, 400 for a bad id', async () => {
  const b = createDocumentBuilder('Quiet');
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node('exit', 'logic.exit', {}, 0, 1);
  b.edge('trigger', 'exit');
  const created = await call('POST', '/api/journeys', b.build());
  expect(await call('GET', `/api/journeys/${created.body.id}/email-stats`)).toMatchObject({
    status: 200,
    body: { nodes: {} },
  });
  const unknown = await call(
    'GET',
    '/api/journeys/00000000-0000-4000-8000-000000000000/email-stats',
  );
  expect(unknown.status).toBe(404);
  const bad = await call('GET', '/api/journeys/not-a-journey/email-stats');
  expect(bad.status).toBe(400);
  expect(bad.body.error.issues).toEqual([{ field: 'param.id', message: 'No journey has this id' }]);
});
