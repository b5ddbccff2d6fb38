// "Only count opens by a person": an email-engagement rule that leaves out the opens and clicks
// the tracking routes flag as a machine's (Apple Mail Privacy Protection's proxy, link scanners),
// kept current by the same settle after an ingest and the same tick as every other rule, and
// previewed the same way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Condition } from '@relance/flow';
import { createSegment, previewRule, tickSegments, type IngestMessage } from '@relance/db';
import { createTestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { ingestAndSettle } from './ingest-and-settle';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

const DAY = 86_400_000;
const T0 = new Date('2025-03-01T10:00:00Z');
const at = (days: number, minutes = 0) => new Date(T0.getTime() + days * DAY + minutes * 60_000);

const MESSAGE = 'bbbbbbbb-0000-4000-8000-000000000001';
// As the tracking routes record them (classifyEngagement in packages/email).
const APPLE = { agent: 'apple_privacy_proxy', machine: true, machineReason: 'apple_privacy' };
const SCANNER = { agent: 'scanner', machine: true, machineReason: 'scanner' };
const BROWSER = { agent: 'browser', machine: false };

const engagement = (
  userId: string,
  event: 'email.opened' | 'email.clicked',
  occurredAt: Date,
  agent: object,
): IngestMessage => ({
  type: 'track',
  identity: { userId },
  event,
  properties: { messageId: MESSAGE, templateId: 'newsletter', ...agent },
  occurredAt,
});

const openedRecently = (humanOnly: boolean): Condition => ({
  kind: 'email',
  action: 'opened',
  op: 'at_least',
  count: 1,
  within: '30d',
  ...(humanOnly ? { humanOnly } : {}),
});

const ingest = (now: Date, messages: IngestMessage[]) => ingestAndSettle(db, now, messages);

async function members(id: string) {
  const rows = await db.sql<{ externalId: string }[]>`
    select c.external_id from segment_members m join contacts c on c.id = m.contact_id
    where m.segment_id = ${id} order by 1`;
  return rows.map((r) => r.externalId);
}

async function changes(id: string) {
  return db.sql<{ externalId: string; change: string; cause: string }[]>`
    select c.external_id, g.change, g.cause from segment_changes g
    join contacts c on c.id = g.contact_id where g.segment_id = ${id} order by g.id`;
}

describe('a segment of the people who opened an email', () => {
  it('leaves out machines on ingest, on the tick and in the preview', async () => {
    const segment = async (name: string, rule: Condition) =>
      (
        await createSegment(db.sql, {
          workspaceId: db.workspaceId,
          name,
          kind: 'dynamic',
          rule,
          now: at(0),
        })
      ).segment.id;
    const people = await segment('Read in the last 30 days', openedRecently(true));
    const anyone = await segment('Opened in the last 30 days', openedRecently(false));

    // Ann reads the newsletter; Apple's proxy fetches Abe's copy on delivery.
    await ingest(at(1), [
      engagement('ann', 'email.opened', at(1), BROWSER),
      engagement('abe', 'email.opened', at(1), APPLE),
    ]);
    expect(await members(people)).toEqual(['ann']);
    expect(await members(anyone)).toEqual(['abe', 'ann']);

    // A link scanner follows Abe's links: no person clicked, so no open either.
    await ingest(at(2), [engagement('abe', 'email.clicked', at(2), SCANNER)]);
    expect(await members(people)).toEqual(['ann']);

    // Apple's proxy fetches Ann's next email: it keeps her in the segment counting machines.
    await ingest(at(25), [engagement('ann', 'email.opened', at(25), APPLE)]);

    // Ann's own open leaves the window 30 days after it: the tick takes her out, by a person.
    await tickSegments(db.sql, { now: at(30) });
    expect(await members(people)).toEqual(['ann']);
    await tickSegments(db.sql, { now: at(31, 1) });
    expect(await members(people)).toEqual([]);
    expect(await members(anyone)).toEqual(['abe', 'ann']);
    expect(await changes(people)).toEqual([
      { externalId: 'ann', change: 'entered', cause: 'ingest' },
      { externalId: 'ann', change: 'exited', cause: 'tick' },
    ]);

    // Abe clicks a link himself: a person's click counts as an open.
    await ingest(at(32), [engagement('abe', 'email.clicked', at(32), {})]);
    expect(await members(people)).toEqual(['abe']);

    const preview = (rule: Condition) =>
      previewRule(db.sql, { workspaceId: db.workspaceId, rule, now: at(32) });
    expect((await preview(openedRecently(true))).count).toBe(1);
    expect((await preview(openedRecently(false))).count).toBe(2);
    const sunset: Condition = {
      kind: 'email',
      action: 'opened',
      op: 'at_most',
      count: 0,
      within: '90d',
      humanOnly: true,
    };
    expect((await preview(sunset)).count).toBe(0);
    expect((await preview({ ...sunset, within: '5d' })).count).toBe(1);
  });
});

describe('the preview API', () => {
  it('takes "by a person" for opens and clicks, and names the field for other actions', async () => {
    const { call } = createTestApp({
      db,
      temporal,
      dispatcher: createRecordingDispatcher().dispatcher,
    });
    const ok = await call('POST', '/api/segments/preview', { rule: openedRecently(true) });
    expect(ok.status).toBe(200);
    // At the clock's time now, every open of the test above is long past.
    expect(ok.body.count).toBe(0);
    const refused = await call('POST', '/api/segments/preview', {
      rule: { kind: 'all', conditions: [{ ...openedRecently(true), action: 'bounced' }] },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.issues).toEqual([
      {
        field: 'rule.conditions.0.humanOnly',
        message: 'Only opens and clicks can leave out machines: turn this off for other actions',
      },
    ]);
  });
});
