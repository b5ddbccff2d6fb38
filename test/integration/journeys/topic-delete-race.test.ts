// Deleting a topic and what names one (publishing a journey, saving a template) each check the
// other before they write. They hold the workspace's topics lock around check and write, so when
// both happen at once the second waits for the first and then refuses: no live version or saved
// template is left under a topic that no longer exists, and no topic in use is deleted.
// Each test holds one side's transaction (its lock and write) and shows the other side waiting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertJourneyVersion, type TransactionSql } from '@relance/db';
import { compile, createDocumentBuilder } from '@relance/flow';
import { lockTopics } from '@relance/journeys/publish';
import { createTestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { statementsWaitingForALock } from '../../support/held-statements';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
let call: ReturnType<typeof createTestApp>['call'];
let templateId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
  ({ call } = createTestApp({ db, temporal, dispatcher: createRecordingDispatcher().dispatcher }));
  await created('/api/topics', { key: 'offers', name: 'Offers' });
  templateId = await created('/api/templates', template('Spring offer', 'offers'));
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

async function created(path: string, body: unknown): Promise<string> {
  const response = await call('POST', path, body);
  expect(response.status).toBe(201);
  return (response.body.id ?? response.body.key) as string;
}

const template = (name: string, topic: string) => ({
  name,
  kind: 'marketing',
  topic,
  from: { name: 'Acme', address: 'news@acme.test' },
  subject: 'Hello',
  body: { kind: 'html', source: '<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>' },
});

/** manual → send the template (under `topic`, if any) → exit */
function sends(name: string, topic?: string) {
  const b = createDocumentBuilder(name);
  b.node('start', 'trigger.manual', {}, 0, 0);
  b.node('send', 'action.send_email', { templateId, ...(topic ? { topic } : {}) }, 0, 1);
  b.node('exit', 'logic.exit', {}, 0, 2);
  b.edge('start', 'send');
  b.edge('send', 'exit');
  return b.build();
}

/**
 * Runs `write` in a transaction of its own, holding the topics lock as `mode`, until `release()`:
 * one side of the race, stopped between its write and its commit.
 */
async function holdTopicsLock(
  mode: 'shared' | 'exclusive',
  write: (tx: TransactionSql) => Promise<unknown>,
) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held!: () => void;
  const locked = new Promise<void>((resolve) => (held = resolve));
  const holder = db.sql.begin(async (tx) => {
    await lockTopics(tx, db.workspaceId, mode);
    await write(tx);
    held();
    await released;
  });
  await Promise.race([locked, holder]);
  return {
    release: async () => {
      release();
      await holder;
    },
  };
}

/** Whether `request` is still waiting for the topics lock (it would otherwise have answered). */
async function waitsForTheLock(request: Promise<unknown>, mode: 'shared' | 'exclusive') {
  const statement =
    mode === 'shared' ? 'select pg_advisory_xact_lock_shared(' : 'select pg_advisory_xact_lock(';
  const answered = request.then(() => 'answered' as const);
  for (let attempt = 0; attempt < 100; attempt++) {
    const settled = await Promise.race([answered, new Promise((r) => setTimeout(r, 50))]);
    if (settled === 'answered') return false;
    if ((await statementsWaitingForALock(db.sql, statement)) > 0) return true;
  }
  return false;
}

const deleteTopic = (tx: TransactionSql, key: string) =>
  tx`delete from email_topics where workspace_id = ${db.workspaceId} and key = ${key}`;

describe('deleting a topic while a journey is published', () => {
  it('makes the publish wait, then refuse: no version goes live under the deleted topic', async () => {
    await created('/api/topics', { key: 'flash', name: 'Flash sale' });
    const journeyId = await created('/api/journeys', sends('Flash sale', 'flash'));
    // The delete checked before this draft named the topic, and is about to commit.
    const deletion = await holdTopicsLock('exclusive', (tx) => deleteTopic(tx, 'flash'));
    const publish = call('POST', `/api/journeys/${journeyId}/publish`, {});
    try {
      expect(await waitsForTheLock(publish, 'shared')).toBe(true);
    } finally {
      await deletion.release();
    }
    const refused = await publish;
    // Refused like any problem the check finds, naming the deleted topic under its step.
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('invalid_flow');
    expect(JSON.stringify(refused.body.error.issues)).toContain('flash');
    const [journey] = await db.sql<{ liveVersionId: string | null }[]>`
      select live_version_id from journeys where id = ${journeyId}`;
    expect(journey!.liveVersionId).toBeNull();
  });

  it('makes the delete wait for a publish, then refuse, naming the journey', async () => {
    await created('/api/topics', { key: 'launch', name: 'Launch' });
    const journeyId = await created('/api/journeys', sends('Launch day'));
    // A publish of a flow sending under "launch" checked the topic and wrote its version; the
    // draft has changed since, so only the version being published names the topic.
    const document = sends('Launch day', 'launch') as unknown as Record<string, unknown>;
    const publishing = await holdTopicsLock('shared', (tx) =>
      insertJourneyVersion(tx, {
        workspaceId: db.workspaceId,
        journeyId,
        document,
        plan: compile(document),
      }),
    );
    const deletion = call('DELETE', '/api/topics/launch');
    try {
      expect(await waitsForTheLock(deletion, 'exclusive')).toBe(true);
    } finally {
      await publishing.release();
    }
    const refused = await deletion;
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'topic_in_use',
      message: 'This topic is used by the journey “Launch day”: choose another topic there first',
    });
    expect((await call('GET', '/api/topics/launch')).status).toBe(200);
  });
});

describe('deleting a topic while a template is saved', () => {
  it('makes the save wait, then refuse on the topic', async () => {
    await created('/api/topics', { key: 'digest', name: 'Digest' });
    const id = await created('/api/templates', template('Weekly digest', 'offers'));
    const deletion = await holdTopicsLock('exclusive', (tx) => deleteTopic(tx, 'digest'));
    const save = call('PUT', `/api/templates/${id}`, template('Weekly digest', 'digest'));
    try {
      expect(await waitsForTheLock(save, 'shared')).toBe(true);
    } finally {
      await deletion.release();
    }
    const refused = await save;
    expect(refused.status).toBe(422);
    expect(refused.body.error.issues).toEqual([
      {
        field: 'topic',
        message:
          'There is no topic "digest" (it may have been deleted): choose one of your topics, or no topic',
      },
    ]);
    expect((await call('GET', `/api/templates/${id}`)).body.topic).toBe('offers');
  });

  it('makes the delete wait for a save, then refuse, naming the template', async () => {
    await created('/api/topics', { key: 'events', name: 'Events' });
    const id = await created('/api/templates', template('Meetup invite', 'offers'));
    const saving = await holdTopicsLock(
      'shared',
      (tx) => tx`update email_templates set topic = 'events' where id = ${id}`,
    );
    const deletion = call('DELETE', '/api/topics/events');
    try {
      expect(await waitsForTheLock(deletion, 'exclusive')).toBe(true);
    } finally {
      await saving.release();
    }
    const refused = await deletion;
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe(
      'This topic is used by the email template “Meetup invite”: choose another topic there first',
    );
  });
});

describe('deleting a topic while a signup form is saved', () => {
  const form = (topic: string) => ({
    name: 'Flash sale signup',
    definition: { fields: [{ type: 'email', name: 'email', label: 'Email' }], topics: [topic] },
  });

  it('makes the save wait, then refuse on the topic', async () => {
    await created('/api/topics', { key: 'flash-form', name: 'Flash sale' });
    const deletion = await holdTopicsLock('exclusive', (tx) => deleteTopic(tx, 'flash-form'));
    const save = call('POST', '/api/forms', form('flash-form'));
    try {
      expect(await waitsForTheLock(save, 'shared')).toBe(true);
    } finally {
      await deletion.release();
    }
    const refused = await save;
    expect(refused.status).toBe(422);
    expect(refused.body.error.issues).toEqual([
      { field: 'definition.topics.0', message: 'No topic flash-form exists' },
    ]);
    expect(await db.sql`select 1 from forms where name = 'Flash sale signup'`).toHaveLength(0);
  });

  it('makes the delete wait for a save, then refuse, naming the form', async () => {
    await created('/api/topics', { key: 'vip-form', name: 'VIP' });
    const formId = await created('/api/forms', form('offers'));
    const saving = await holdTopicsLock(
      'shared',
      (tx) => tx`
        update forms set definition = jsonb_set(definition, '{topics}', '["vip-form"]')
        where id = ${formId}`,
    );
    const deletion = call('DELETE', '/api/topics/vip-form');
    try {
      expect(await waitsForTheLock(deletion, 'exclusive')).toBe(true);
    } finally {
      await saving.release();
    }
    const refused = await deletion;
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('the signup form “Flash sale signup”');
  });
});
