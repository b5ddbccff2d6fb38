// Publishing checks what a flow names against the workspace, in words a marketer can act on:
// its email steps' topics (a typo would send under a topic nobody opted in to), archived and
// deleted templates by name not id, segments a step cannot change, and exit conditions the
// trigger makes true for everyone. A topic a journey sends under cannot be deleted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentBuilder } from '@relance/flow';
import { createTestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
let call: ReturnType<typeof createTestApp>['call'];

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
  ({ call } = createTestApp({ db, temporal, dispatcher: createRecordingDispatcher().dispatcher }));
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

const template = (name: string, topic: string) =>
  created('/api/templates', {
    name,
    kind: 'marketing',
    topic,
    from: { name: 'Acme', address: 'news@acme.test' },
    subject: 'Hello',
    body: { kind: 'html', source: '<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>' },
  });

/** manual → send `templateId` (under `topic`, if any) → exit */
function sends(name: string, templateId: string, topic?: string) {
  const b = createDocumentBuilder(name);
  b.node('start', 'trigger.manual', {}, 0, 0);
  b.node('send', 'action.send_email', { templateId, ...(topic ? { topic } : {}) }, 0, 1);
  b.node('exit', 'logic.exit', {}, 0, 2);
  b.edge('start', 'send');
  b.edge('send', 'exit');
  return b.build();
}

async function publish(id: string) {
  return call('POST', `/api/journeys/${id}/publish`, {});
}

describe('an email step’s topic', () => {
  let templateId: string;
  beforeAll(async () => {
    await created('/api/topics', { key: 'offers', name: 'Offers', optIn: true });
    await created('/api/topics', { key: 'vip-news', name: 'VIP news', optIn: true });
    templateId = await template('Spring offer', 'offers');
  });

  it('must be one of the workspace’s topics to publish', async () => {
    const id = await created('/api/journeys', sends('Spring', templateId, 'ofers'));
    const refused = await publish(id);
    expect(refused.status).toBe(422);
    expect(refused.body.error.issues).toEqual([
      {
        field: 'nodes.send.config.topic',
        message:
          'There is no topic "ofers" (it may have been deleted); choose one of your topics, or no topic',
      },
    ]);
    expect((await call('PUT', `/api/journeys/${id}`, sends('Spring', templateId))).status).toBe(
      200,
    );
    expect((await publish(id)).status).toBe(201);
  });

  it('cannot be deleted while a journey’s draft or live version sends under it', async () => {
    const id = await created('/api/journeys', sends('VIP launch', templateId, 'vip-news'));
    expect((await publish(id)).status).toBe(201);
    const refused = await call('DELETE', '/api/topics/vip-news');
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'topic_in_use',
      message: 'This topic is used by the journey “VIP launch”: choose another topic there first',
      issues: [{ field: 'key', message: 'Used by the journey “VIP launch”' }],
    });

    // The draft no longer names it, but the live version still sends under it.
    expect((await call('PUT', `/api/journeys/${id}`, sends('VIP launch', templateId))).status).toBe(
      200,
    );
    expect((await call('DELETE', '/api/topics/vip-news')).status).toBe(409);

    expect((await publish(id)).status).toBe(201);
    expect((await call('DELETE', '/api/topics/vip-news')).status).toBe(204);
  });
});

describe('publish problems a marketer can act on', () => {
  it('names an archived template and says it is archived; a deleted one is not shown by id', async () => {
    await created('/api/topics', { key: 'news', name: 'News' });
    const archived = await template('Autumn sale', 'news');
    expect((await call('DELETE', `/api/templates/${archived}`)).status).toBe(204);
    const gone = crypto.randomUUID();
    const archivedUse = await created('/api/journeys', sends('Autumn', archived));
    expect((await publish(archivedUse)).body.error.issues).toEqual([
      {
        field: 'nodes.send.config.templateId',
        message: 'The email template "Autumn sale" is archived; choose another',
      },
    ]);
    const goneUse = await created('/api/journeys', sends('Gone', gone));
    const issues = (await publish(goneUse)).body.error.issues as { message: string }[];
    expect(issues).toEqual([
      {
        field: 'nodes.send.config.templateId',
        message: 'The email template chosen here was deleted; choose another',
      },
    ]);
  });

  it('refuses a step that adds contacts to a dynamic segment, naming it', async () => {
    const engaged = await created('/api/segments', {
      kind: 'dynamic',
      name: 'Engaged',
      rule: { kind: 'tag', op: 'has', tag: 'engaged' },
    });
    const active = await created('/api/segments', { kind: 'static', name: 'Active' });
    const b = createDocumentBuilder('Move');
    b.node('start', 'trigger.manual', {}, 0, 0);
    b.node('move', 'action.segment', { add: [engaged, active], remove: [] }, 0, 1);
    b.node('exit', 'logic.exit', {}, 0, 2);
    b.edge('start', 'move');
    b.edge('move', 'exit');
    const id = await created('/api/journeys', b.build());
    const refused = await publish(id);
    expect(refused.status).toBe(422);
    expect(refused.body.error.issues).toEqual([
      {
        field: 'nodes.move.config.add.0',
        message:
          'The segment "Engaged" is dynamic: its rule decides who is in it, so a step cannot add or remove contacts; choose a static segment',
      },
    ]);
  });

  it('refuses an exit condition every contact the trigger lets in meets', async () => {
    const winBack = await created('/api/segments', { kind: 'static', name: 'Win-back' });
    const flow = (op: 'in' | 'not_in') => {
      const b = createDocumentBuilder('Win back', {
        exitConditions: [{ kind: 'segment', op, segmentId: winBack }],
      });
      b.node('entered', 'trigger.segment_entered', { segmentId: winBack }, 0, 0);
      b.node('tag', 'action.tag', { add: ['won'], remove: [] }, 0, 1);
      b.node('exit', 'logic.exit', {}, 0, 2);
      b.edge('entered', 'tag');
      b.edge('tag', 'exit');
      return b.build();
    };
    const id = await created('/api/journeys', flow('in'));
    const refused = await publish(id);
    expect(refused.status).toBe(422);
    expect(refused.body.error.issues).toEqual([
      {
        field: 'settings.exitConditions.0',
        message:
          'This exit condition is true for everyone the trigger lets in, so every run would end at once; to end a run when the contact leaves the segment, use "is not in"',
      },
    ]);
    expect((await call('PUT', `/api/journeys/${id}`, flow('not_in'))).status).toBe(200);
    expect((await publish(id)).status).toBe(201);
  });
});

describe('events never received', () => {
  it('are warnings the publish preview lists, and publishing still goes ahead', async () => {
    const b = createDocumentBuilder('Thanks');
    b.node('start', 'trigger.event', { event: 'order.complete', entryKey: 'orderId' }, 0, 0);
    b.node('tag', 'action.tag', { add: ['buyer'], remove: [] }, 0, 1);
    b.node('exit', 'logic.exit', {}, 0, 2);
    b.edge('start', 'tag');
    b.edge('tag', 'exit');
    const id = await created('/api/journeys', b.build());
    const preview = await call('POST', `/api/journeys/${id}/publish`, { dryRun: true });
    expect(preview.status).toBe(200);
    expect(preview.body.warnings).toEqual([
      {
        nodeId: 'start',
        field: 'config.event',
        message:
          'No event called "order.complete" has been received yet: check the spelling, unless it comes from an integration that has not sent one yet',
      },
    ]);
    await db.sql`insert into known_events (workspace_id, name) values (${db.workspaceId}, 'order.complete')`;
    const again = await call('POST', `/api/journeys/${id}/publish`, { dryRun: true });
    expect(again.body.warnings).toEqual([]);
    await db.sql`delete from known_events where workspace_id = ${db.workspaceId}`;
    expect((await publish(id)).status).toBe(201);
  });
});
