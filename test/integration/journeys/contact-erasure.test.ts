// DELETE /api/contacts/:id against the real stack: Postgres, the Temporal dev server and a
// worker running journey runs, with ingestion through the API.

import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../support/app';
import { eventually, useJourneyEnv, waitThenTag, withTemporalDown } from './harness';

const env = useJourneyEnv({ worker: true });
let test: ReturnType<typeof createTestApp>;
let writeKey: string;

beforeAll(async () => {
  test = createTestApp({ db: env.db, temporal: env.temporal, dispatcher: env.runtime });
  writeKey = (await env.db.sql<{ writeKey: string }[]>`select write_key from workspaces`)[0]!
    .writeKey;
});

async function track(userId: string, event: string) {
  const response = await test.app.request('/v1/track', {
    method: 'POST',
    headers: { authorization: `Bearer ${writeKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ userId, event }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function createContact(body: Record<string, unknown>): Promise<string> {
  const created = await test.call('POST', '/api/contacts', body);
  expect(created.status).toBe(201);
  return created.body.contact.id as string;
}

/** A journey that keeps its runs waiting for an hour. */
async function waitingJourney(name: string): Promise<string> {
  const created = await test.call(
    'POST',
    '/api/journeys',
    waitThenTag({ name, wait: '1h', tag: 'x' }),
  );
  expect(created.status).toBe(201);
  expect((await test.call('POST', `/api/journeys/${created.body.id}/publish`, {})).status).toBe(
    201,
  );
  return created.body.id as string;
}

async function enrol(journeyId: string, contactId: string): Promise<string> {
  const enrolled = await test.call('POST', `/api/journeys/${journeyId}/enrol`, { contactId });
  expect(enrolled.status).toBe(201);
  const workflowId = enrolled.body.workflowId as string;
  await eventually(async () => {
    const [run] = await env.db.sql`
      select 1 from journey_runs where workflow_id = ${workflowId} and status = 'active'`;
    return run;
  });
  return workflowId;
}

const count = async (table: string, column: string, ids: string[]) => {
  const [row] = await env.db.sql.unsafe<{ n: number }[]>(
    `select count(*)::int as n from ${table} where ${column} = any($1::uuid[])`,
    [ids],
  );
  return row!.n;
};

describe('deleting a contact', () => {
  it('erases the person, their merged duplicate and their history, and stops their journey runs', async () => {
    const id = await createContact({
      email: 'erin@erase.test',
      externalId: 'u-erin',
      properties: { name: 'Erin' },
    });
    const duplicate = await createContact({ email: 'erin.work@erase.test' });
    expect(
      (await test.call('POST', `/api/contacts/${id}/merge`, { otherId: duplicate })).status,
    ).toBe(200);
    // Twice: the second track takes the API's cache of known users.
    expect((await track('u-erin', 'page.viewed')).status).toBe(200);
    expect((await track('u-erin', 'order.completed')).status).toBe(200);
    const segment = await test.call('POST', '/api/segments', {
      kind: 'static',
      name: 'Erased VIPs',
    });
    await test.call('POST', `/api/segments/${segment.body.id}/members`, { contactIds: [id] });
    await env.db.sql`
      insert into contact_topic_consents (workspace_id, contact_id, topic, status, source)
      values (${env.db.workspaceId}, ${id}, 'news', 'subscribed', 'form')`;
    const [message] = await env.db.sql<{ id: string }[]>`
      insert into email_messages (workspace_id, idempotency_key, contact_id, kind, to_address, subject, status, sent_at)
      values (${env.db.workspaceId}, 'erase-1', ${id}, 'marketing', 'erin@erase.test', 'Erin, your cart', 'sent', now())
      returning id::text as id`;
    await env.db.sql`
      insert into email_outbox (workspace_id, message_id, internet_message_id, from_address, to_address, subject, html, text)
      values (${env.db.workspaceId}, ${message!.id}, '<erase-1@relance.test>', 'news@acme.test',
        'erin@erase.test', 'Erin, your cart', '<p>Hi Erin</p>', 'Hi Erin')`;
    await env.db.sql`
      insert into email_suppressions (workspace_id, email, reason)
      values (${env.db.workspaceId}, 'erin@erase.test', 'unsubscribed')`;
    const workflowId = await enrol(await waitingJourney('Erasure waits'), id);
    const ids = [id, duplicate];
    expect(await count('events', 'contact_id', ids)).toBeGreaterThanOrEqual(3);

    const deleted = await test.call('DELETE', `/api/contacts/${id}`);
    expect(deleted).toMatchObject({
      status: 200,
      body: {
        deleted: {
          contactId: id,
          mergedDuplicates: 1,
          journeyRuns: 1,
          runsStopped: 1,
          messagesAnonymised: 1,
          addressesStillSuppressed: 1,
        },
      },
    });
    expect(deleted.body.deleted.events).toBeGreaterThanOrEqual(3);

    for (const [table, column] of [
      ['contacts', 'id'],
      ['events', 'contact_id'],
      ['contact_event_rollups', 'contact_id'],
      ['segment_members', 'contact_id'],
      ['segment_changes', 'contact_id'],
      ['contact_topic_consents', 'contact_id'],
      ['journey_runs', 'contact_id'],
      ['segment_queue', 'contact_id'],
    ] as const) {
      expect({ table, rows: await count(table, column, ids) }).toEqual({ table, rows: 0 });
    }
    const description = await env.temporal.client.workflow.getHandle(workflowId).describe();
    expect(description.status.name).toBe('TERMINATED');
    // The send stays counted in the reports, with nothing that says who it went to.
    expect(
      await env.db
        .sql`select contact_id, to_address, subject, status from email_messages where id = ${message!.id}`,
    ).toEqual([{ contactId: null, toAddress: null, subject: null, status: 'sent' }]);
    expect(
      await env.db.sql`select 1 from email_outbox where message_id = ${message!.id}`,
    ).toHaveLength(0);
    expect(
      await env.db.sql`select reason from email_suppressions where email = 'erin@erase.test'`,
    ).toEqual([{ reason: 'unsubscribed' }]);

    for (const gone of [id, duplicate]) {
      expect((await test.call('GET', `/api/contacts/${gone}`)).status).toBe(404);
    }
    expect((await test.call('DELETE', `/api/contacts/${id}`)).body.error.code).toBe('not_found');

    // The same user tracked again, through the API's cache that still remembers them: a new
    // contact, and the event is kept.
    expect(await track('u-erin', 'page.viewed')).toEqual({
      status: 200,
      body: { success: true, status: 'accepted' },
    });
    const again = await env.db.sql<{ id: string; events: number }[]>`
      select c.id, (select count(*)::int from events e where e.contact_id = c.id) as events
      from contacts c where c.external_id = 'u-erin'`;
    expect(again).toEqual([{ id: expect.not.stringMatching(id), events: 1 }]);
  });

  it("deletes the whole person when given a merged duplicate's id", async () => {
    const id = await createContact({ email: 'dana@erase.test' });
    const duplicate = await createContact({ email: 'dana.old@erase.test' });
    await test.call('POST', `/api/contacts/${id}/merge`, { otherId: duplicate });
    const deleted = await test.call('DELETE', `/api/contacts/${duplicate}`);
    expect(deleted).toMatchObject({
      status: 200,
      body: { deleted: { contactId: id, mergedDuplicates: 1, addressesStillSuppressed: 0 } },
    });
    expect(await count('contacts', 'id', [id, duplicate])).toBe(0);
  });

  it('deletes nothing when the journey runs cannot be stopped, and says to try again', async () => {
    const id = await createContact({ email: 'tom@erase.test' });
    await enrol(await waitingJourney('Erasure while Temporal is down'), id);
    await withTemporalDown(env, async (offline) => {
      const refused = await offline('DELETE', `/api/contacts/${id}`);
      expect(refused.status).toBe(503);
      expect(refused.body.error).toMatchObject({ code: 'runs_not_stopped' });
      expect(refused.body.error.message).toMatch(
        /^1 of this contact's journey runs could not be stopped, so nothing was deleted\. Try again in a moment\./,
      );
    });
    expect(await count('contacts', 'id', [id])).toBe(1);
    expect(await count('journey_runs', 'contact_id', [id])).toBe(1);
    expect((await test.call('DELETE', `/api/contacts/${id}`)).status).toBe(200);
  });

  it('answers 400 for an id that is not one, and 404 for a contact that does not exist', async () => {
    const bad = await test.call('DELETE', '/api/contacts/nope');
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues).toEqual([
      { field: 'param.id', message: 'No contact has this id' },
    ]);
    expect((await test.call('DELETE', `/api/contacts/${crypto.randomUUID()}`)).status).toBe(404);
  });
});

describe('deleting several contacts at once', () => {
  it('erases each person once, stops their runs, and names the ids it did not know', async () => {
    const journeyId = await waitingJourney('Bulk erasure');
    const ann = await createContact({ email: 'ann@bulk-erase.test' });
    const bob = await createContact({ email: 'bob@bulk-erase.test' });
    const bobOld = await createContact({ email: 'bob.old@bulk-erase.test' });
    await test.call('POST', `/api/contacts/${bob}/merge`, { otherId: bobOld });
    const kept = await createContact({ email: 'kept@bulk-erase.test' });
    const annRun = await enrol(journeyId, ann);
    const unknown = crypto.randomUUID();

    const res = await test.call('POST', '/api/contacts/delete', {
      // Bob twice (his duplicate's id, then in capitals): one person, erased once.
      contactIds: [ann, bobOld, bob.toUpperCase(), unknown],
    });
    expect(res).toMatchObject({
      status: 200,
      body: { deleted: 2, unknownContactIds: [unknown], notDeleted: [] },
    });
    expect(await count('contacts', 'id', [ann, bob, bobOld])).toBe(0);
    expect(await count('contacts', 'id', [kept])).toBe(1);
    expect(await count('journey_runs', 'contact_id', [ann])).toBe(0);
    const described = await env.temporal.client.workflow.getHandle(annRun).describe();
    expect(described.status.name).toBe('TERMINATED');
  });

  it('keeps the contacts whose runs Temporal cannot stop, and deletes the others', async () => {
    const journeyId = await waitingJourney('Bulk erasure while Temporal is down');
    const busy = await createContact({ email: 'busy@bulk-erase.test' });
    const idle = await createContact({ email: 'idle@bulk-erase.test' });
    const busier = await createContact({ email: 'busier@bulk-erase.test' });
    await enrol(journeyId, busy);
    await enrol(journeyId, busier);
    const res = await withTemporalDown(env, (offline) =>
      offline('POST', '/api/contacts/delete', { contactIds: [busy, idle, busier] }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ deleted: 1, unknownContactIds: [] });
    const refusal =
      /^1 of this contact's journey runs could not be stopped, so nothing was deleted/;
    expect(res.body.notDeleted).toEqual([
      { contactId: busy, message: expect.stringMatching(refusal) },
      // Once Temporal refused, the next contact's runs are not tried: each would wait as long.
      { contactId: busier, message: expect.stringMatching(/\(not tried: .+\)$/) },
    ]);
    expect(res.body.notDeleted[1].message).toMatch(refusal);
    expect(await count('contacts', 'id', [busy, busier])).toBe(2);
    expect(await count('contacts', 'id', [idle])).toBe(0);
  });

  it('names the field at fault', async () => {
    const cases: [object, string, RegExp][] = [
      [{}, 'contactIds', /expected array/i],
      [{ contactIds: [] }, 'contactIds', /at least one/],
      [{ contactIds: ['nope'] }, 'contactIds.0', /Not a contact id/],
      [
        { contactIds: Array.from({ length: 201 }, () => crypto.randomUUID()) },
        'contactIds',
        /At most 200/,
      ],
    ];
    for (const [body, field, message] of cases) {
      const res = await test.call('POST', '/api/contacts/delete', body);
      expect(res.status).toBe(400);
      expect(res.body.error.issues).toContainEqual({
        field,
        message: expect.stringMatching(message),
      });
    }
  });
});
