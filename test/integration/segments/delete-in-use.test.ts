// Deleting a segment that journeys (a draft, the live version, a version runs still go through) or
// other segments' rules still use is refused with 409, naming each journey once with what to do,
// and GET /segments/:id/uses says the same before anyone clicks Delete. Stopping a journey
// releases its segments.
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

async function createSegment(name: string): Promise<string> {
  const created = await call('POST', '/api/segments', { kind: 'static', name });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

/** entered `trigger` → move from `from` to `to` → exit */
function moveOnEntry(name: string, trigger: string, from: string, to: string) {
  const b = createDocumentBuilder(name);
  b.node('entered', 'trigger.segment_entered', { segmentId: trigger }, 0, 0);
  b.node('move', 'action.segment', { add: [to], remove: [from] }, 0, 1);
  b.node('exit', 'logic.exit', {}, 0, 2);
  b.edge('entered', 'move');
  b.edge('move', 'exit');
  return b.build();
}

/** manual → if in `segment` → exit either way */
function checksMembership(name: string, segment: string) {
  const b = createDocumentBuilder(name);
  b.node('start', 'trigger.manual', {}, 0, 0);
  b.node(
    'check',
    'logic.condition',
    { condition: { kind: 'segment', op: 'in', segmentId: segment } },
    0,
    1,
  );
  b.node('exit', 'logic.exit', {}, 0, 2);
  b.edge('start', 'check');
  b.edge('check', 'exit', 'yes');
  b.edge('check', 'exit', 'no');
  return b.build();
}

const fields = (body: { error: { issues: { field: string }[] } }) =>
  body.error.issues.map((i) => i.field).sort();

describe('deleting a segment in use', () => {
  it('refuses with 409 naming the journeys, their versions and steps, and the reading segments', async () => {
    const lapsed = await createSegment('Lapsed');
    const reactivation = await createSegment('Reactivation');
    const active = await createSegment('Active');
    const other = await createSegment('Other');

    // Version 1 enters on Lapsed; the draft then moves on to Other, so only version 1 uses it.
    const journey = await call(
      'POST',
      '/api/journeys',
      moveOnEntry('Win back', lapsed, active, reactivation),
    );
    expect(journey.status).toBe(201);
    const id = journey.body.id as string;
    expect((await call('POST', `/api/journeys/${id}/publish`, {})).status).toBe(201);
    const edited = await call(
      'PUT',
      `/api/journeys/${id}`,
      moveOnEntry('Win back', other, active, reactivation),
    );
    expect(edited.status).toBe(200);
    const draft = await call('POST', '/api/journeys', checksMembership('Check', lapsed));
    expect(draft.status).toBe(201);
    const reader = await call('POST', '/api/segments', {
      kind: 'dynamic',
      name: 'Lapsed with tag x',
      rule: {
        kind: 'all',
        conditions: [
          { kind: 'tag', op: 'has', tag: 'x' },
          { kind: 'segment', op: 'in', segmentId: lapsed },
        ],
      },
    });
    expect(reader.status).toBe(201);

    const refused = await call('DELETE', `/api/segments/${lapsed}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('segment_in_use');
    expect(fields(refused.body)).toEqual(
      [
        `journeys.${id}.versions.1.nodes.entered.config.segmentId`,
        `journeys.${draft.body.id}.draft.nodes.check.config.condition.segmentId`,
        `segments.${reader.body.id}.rule.conditions.1.segmentId`,
      ].sort(),
    );
    const message = refused.body.error.message as string;
    expect(message).toContain(
      'Journey "Win back": It is live and its published version 1 cannot be edited: stop the journey, or publish a version without the segment (When a contact enters Lapsed).',
    );
    expect(message).toContain(
      'Journey "Check": Remove it from the draft (If is in Lapsed) and save, or delete the draft.',
    );
    expect(message).toContain('Segment "Lapsed with tag x": change its rule');
    expect(refused.body.error.issues).toContainEqual({
      field: `journeys.${id}.versions.1.nodes.entered.config.segmentId`,
      message: 'Journey "Win back" (version 1): When a contact enters Lapsed',
    });

    // A move action names both of its segments, in the draft and in the published version.
    const moved = await call('DELETE', `/api/segments/${active}`);
    expect(moved.status).toBe(409);
    expect(fields(moved.body)).toEqual([
      `journeys.${id}.draft.nodes.move.config.remove.0`,
      `journeys.${id}.versions.1.nodes.move.config.remove.0`,
    ]);
    // Named once, although its draft and its live version both use it.
    const movedMessage = moved.body.error.message as string;
    expect(movedMessage.split('Journey "Win back"')).toHaveLength(2);
    expect(movedMessage).toContain('(Move from Active to Reactivation)');
    expect((await call('GET', `/api/segments/${active}`)).status).toBe(200);

    // The dialog asks before the marketer clicks, each journey once.
    const uses = await call('GET', `/api/segments/${active}/uses`);
    expect(uses.status).toBe(200);
    expect(uses.body).toEqual({
      journeys: [
        {
          journeyId: id,
          journeyName: 'Win back',
          status: 'active',
          inDraft: true,
          liveVersion: 1,
          runningVersions: [],
          steps: ['Move from Active to Reactivation'],
          nextStep:
            'It is live and its published version 1 cannot be edited: stop the journey, or publish a version without the segment (Move from Active to Reactivation).',
        },
      ],
      segments: [],
    });
    const readBy = await call('GET', `/api/segments/${lapsed}/uses`);
    expect(readBy.body.segments).toEqual([
      { segmentId: reader.body.id, segmentName: 'Lapsed with tag x' },
    ]);
    expect((await call('GET', `/api/segments/${other}/uses`)).body.journeys).toMatchObject([
      { journeyName: 'Win back', inDraft: true, liveVersion: null },
    ]);

    // Once the last use is gone, the segment can go.
    expect((await call('DELETE', `/api/segments/${reader.body.id}`)).status).toBe(204);
    const fixed = await call(
      'PUT',
      `/api/journeys/${draft.body.id}`,
      checksMembership('Check', other),
    );
    expect(fixed.status).toBe(200);
    const stillVersion = await call('DELETE', `/api/segments/${lapsed}`);
    expect(fields(stillVersion.body)).toEqual([
      `journeys.${id}.versions.1.nodes.entered.config.segmentId`,
    ]);
    // A stopped journey can no longer be published, and nobody goes on through it.
    expect((await call('POST', `/api/journeys/${id}/stop`, {})).status).toBe(200);
    expect((await call('GET', `/api/segments/${lapsed}/uses`)).body).toEqual({
      journeys: [],
      segments: [],
    });
    expect((await call('DELETE', `/api/segments/${lapsed}`)).status).toBe(204);
    const unused = await createSegment('Unused');
    expect((await call('DELETE', `/api/segments/${unused}`)).status).toBe(204);
  });
});
