// A bulk enrolment whose journey is paused waits for it; one whose journey is stopped for good
// ends as failed with a plain reason instead of asking again for ever.

import { expect, it } from 'vitest';
import { changeStaticMembership, getEnrolment, getJourney } from '@relance/db';
import { createDocumentBuilder } from '@relance/flow';
import { createContact, eventually, publish, useJourneyEnv } from './harness';

const env = useJourneyEnv({ worker: true });

/** A published journey and a static segment of `size` members. */
async function journeyAndSegment(name: string, size: number) {
  const [segment] = await env.db.sql<{ id: string }[]>`
    insert into segments (workspace_id, name, kind)
    values (${env.db.workspaceId}, ${name}, 'static') returning id`;
  for (let i = 0; i < size; i++) {
    await changeStaticMembership(env.db.sql, {
      workspaceId: env.db.workspaceId,
      contactId: await createContact(env, { email: `${name}-${i}@example.com` }),
      add: [segment!.id],
      remove: [],
      cause: 'test',
      now: new Date(),
    });
  }
  const b = createDocumentBuilder(name);
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node('exit', 'logic.exit', {}, 0, 1);
  b.edge('trigger', 'exit');
  const { journeyId } = await publish(env, b.build());
  const journey = (await getJourney(env.db.sql, env.db.workspaceId, journeyId))!;
  return { journey, segmentId: segment!.id };
}

function withinSeconds<T>(promise: Promise<T>, seconds: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`Still going after ${seconds} s`)), seconds * 1_000),
    ),
  ]);
}

it('stopping the journey part-way ends its enrolment as failed, saying how many were enrolled', async () => {
  const { journey, segmentId } = await journeyAndSegment('stop-mid-enrolment', 6);
  // One member a second: the journey is stopped long before all six are in.
  const enrolment = await env.runtime.enrolSegment({ journey, segmentId, ratePerSecond: 1 });
  await eventually(async () => ((await getEnrolment(env.db.sql, enrolment.id))?.started ?? 0) >= 1);
  await env.runtime.stop({ workspaceId: env.db.workspaceId, journeyId: journey.id });

  const handle = env.temporal.client.workflow.getHandle(enrolment.workflowId);
  const result = await withinSeconds(handle.result(), 15);
  expect(result).toMatchObject({ done: true });
  const ended = (await getEnrolment(env.db.sql, enrolment.id))!;
  expect(ended.status).toBe('failed');
  expect(ended.finishedAt).not.toBeNull();
  expect(ended.started).toBeGreaterThanOrEqual(1);
  expect(ended.started).toBeLessThan(6);
  expect(ended.reason).toBe(
    `The journey was stopped before everyone was enrolled: ${ended.started} of 6 enrolled.`,
  );
});

it('pausing the journey part-way holds its enrolment, which finishes once the journey is resumed', async () => {
  const { journey, segmentId } = await journeyAndSegment('pause-mid-enrolment', 3);
  const enrolment = await env.runtime.enrolSegment({ journey, segmentId, ratePerSecond: 1 });
  await eventually(async () => ((await getEnrolment(env.db.sql, enrolment.id))?.started ?? 0) >= 1);
  await env.runtime.pause({ workspaceId: env.db.workspaceId, journeyId: journey.id });
  const held = (await getEnrolment(env.db.sql, enrolment.id))!.processed;
  await new Promise((r) => setTimeout(r, 3_000));
  // A batch already under way when the pause landed may still have counted its member.
  expect((await getEnrolment(env.db.sql, enrolment.id))!).toMatchObject({
    status: 'running',
    reason: null,
  });
  expect((await getEnrolment(env.db.sql, enrolment.id))!.processed).toBeLessThanOrEqual(held + 1);

  await env.runtime.resume({ workspaceId: env.db.workspaceId, journeyId: journey.id });
  const handle = env.temporal.client.workflow.getHandle(enrolment.workflowId);
  await withinSeconds(handle.result(), 20);
  expect(await getEnrolment(env.db.sql, enrolment.id)).toMatchObject({
    status: 'completed',
    processed: 3,
    started: 3,
    reason: null,
  });
});
