import { expect, it } from 'vitest';
import { changeStaticMembership, createEnrolment, getEnrolment } from '@relance/db';
import { createDocumentBuilder } from '@relance/flow';
import {
  createContact,
  publish,
  realActivities,
  runtimeWith,
  unreachableTemporal,
  useJourneyEnv,
} from './harness';

// A bulk enrolment batch whose runs Temporal does not take (it is down) fails without moving its
// cursor, so the workflow's retry starts the same members once Temporal is back.

const env = useJourneyEnv();

it('a batch with starts Temporal did not take fails and keeps its cursor; the retry starts them', async () => {
  const [segment] = await env.db.sql<{ id: string }[]>`
    insert into segments (workspace_id, name, kind)
    values (${env.db.workspaceId}, 'Enrol me', 'static') returning id`;
  for (const email of ['one@example.com', 'two@example.com']) {
    await changeStaticMembership(env.db.sql, {
      workspaceId: env.db.workspaceId,
      contactId: await createContact(env, { email }),
      add: [segment!.id],
      remove: [],
      cause: 'test',
      now: new Date(),
    });
  }
  const b = createDocumentBuilder('Enrolled by hand');
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node('exit', 'logic.exit', {}, 0, 1);
  b.edge('trigger', 'exit');
  const { journeyId } = await publish(env, b.build());
  const enrolment = await createEnrolment(env.db.sql, {
    workspaceId: env.db.workspaceId,
    journeyId,
    source: { kind: 'segment', segmentId: segment!.id },
    ratePerSecond: 10,
    total: 2,
  });
  const batch = { enrolmentId: enrolment.id, cursor: null, limit: 10, at: Date.now() };

  const dead = await unreachableTemporal();
  try {
    await expect(
      realActivities(env.db.sql, runtimeWith(env, dead.client)).enrolBatch(batch),
    ).rejects.toMatchObject({ type: 'RunStartsNotTaken', nonRetryable: false });
  } finally {
    await dead.close();
  }
  expect(await getEnrolment(env.db.sql, enrolment.id)).toMatchObject({
    processed: 0,
    started: 0,
    cursor: null,
  });

  const retried = await realActivities(
    env.db.sql,
    runtimeWith(env, env.temporal.client),
  ).enrolBatch(batch);
  expect(retried).toMatchObject({ processed: 2, started: 2, skipped: 0, done: true });
});
