// A run about to act while its journey is paused is held. With `watchHeld`, the real checkpoint
// over Postgres also says when time alone can next meet one of the run's exit conditions or
// goals, so a held run whose contact goes quiet leaves then instead of when the journey resumes.

import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { getJourney, ingestMessages } from '@relance/db';
import { createDocumentBuilder, type Condition } from '@relance/flow';
import type {
  CheckpointInput,
  Guard,
  RunRef,
  StepStart,
} from '@relance/workflows/journey-activities';
import { publish, realActivities, useJourneyEnv } from './harness';

const env = useJourneyEnv();

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;

/** "No open for 7 days": time alone makes it true, 7 days after the last open. */
const quiet: Condition = {
  kind: 'event_last',
  event: 'email.opened',
  op: 'more_than',
  duration: '7d',
  includeNever: true,
};
/** Only a write (which signals the run) changes it. */
const vip: Condition = { kind: 'tag', op: 'has', tag: 'vip' };

let people = 0;

/**
 * A run of a fresh contact who opened an email an hour before `at`, begun by the real activity
 * in a live journey (trigger, tag, exit), standing before its tag action; the journey is then
 * paused unless `paused` is false.
 */
async function runBeforeAction(at: number, options: { paused?: boolean } = {}) {
  const b = createDocumentBuilder(`Held ${randomUUID()}`);
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node('tag', 'action.tag', { add: ['reached'] }, 0, 1);
  b.node('exit', 'logic.exit', {}, 0, 2);
  b.edge('trigger', 'tag');
  b.edge('tag', 'exit');
  const { journeyId, versionId } = await publish(env, b.build());
  const { contactIds } = await ingestMessages(
    env.db.sql,
    env.db.workspaceId,
    [
      {
        type: 'track',
        event: 'email.opened',
        properties: {},
        occurredAt: new Date(at - HOUR),
        identity: { userId: `held-${++people}` },
      },
    ],
    { now: new Date(at - HOUR) },
  );
  const activities = realActivities(env.db.sql, env.runtime);
  const runId = randomUUID();
  const begun = await activities.beginRun({
    workflowId: `test:${runId}`,
    runId,
    journeyVersionId: versionId,
    contactId: contactIds[0]!,
    entry: { kind: 'manual', enrolmentId: null },
    at,
  });
  if (!begun.admitted) throw new Error(begun.reason);
  if (options.paused !== false) {
    const paused = await env.runtime.pause({ workspaceId: env.db.workspaceId, journeyId });
    expect(paused?.status).toBe('paused');
  }
  const run: RunRef = begun.run;
  return {
    run,
    /** The checkpoint the workflow asks before the tag action. */
    checkpoint(input: { guard: Guard; at: number; watchHeld?: boolean }) {
      const current: StepStart = {
        seq: 1,
        nodeId: 'tag',
        kind: 'action.tag',
        visit: 1,
        enteredAt: at,
      };
      const asked: CheckpointInput = {
        run,
        records: [],
        current,
        at: input.at,
        guard: input.guard,
        holdIfPaused: true,
        check: null,
        ...(input.watchHeld === undefined ? {} : { watchHeld: input.watchHeld }),
      };
      return activities.checkpoint(asked);
    },
    async status() {
      const [row] = await env.db.sql<{ status: string }[]>`
        select status from journey_runs where id = ${runId}`;
      return row?.status;
    },
    journeyId,
  };
}

it('a held run watching its guard is told to look again when "no open for 7 days" turns true, and then leaves', async () => {
  const at = Date.now();
  const held = await runBeforeAction(at);
  const guard: Guard = { exit: [vip, quiet], goals: [] };

  const answer = await held.checkpoint({ guard, at, watchHeld: true });
  // The last open, 7 days on, and a second's grace past the boundary.
  expect(answer).toEqual({ kind: 'held', recheckAt: at - HOUR + 7 * DAY + 1_000 });
  expect(await held.status()).toBe('held');
  const journey = await getJourney(env.db.sql, env.db.workspaceId, held.journeyId);
  expect(journey?.status).toBe('paused');

  // Looking again then, the journey still paused, the exit condition is met.
  const recheckAt = (answer as { recheckAt: number }).recheckAt;
  expect(await held.checkpoint({ guard, at: recheckAt, watchHeld: true })).toEqual({
    kind: 'guarded',
    guard: expect.objectContaining({ kind: 'exit', index: 1 }) as unknown,
  });
});

it('a held run is told when a goal that time alone meets turns true', async () => {
  const at = Date.now();
  const held = await runBeforeAction(at);
  const guard: Guard = { exit: [vip], goals: [{ nodeId: 'exit', condition: quiet }] };

  const answer = await held.checkpoint({ guard, at, watchHeld: true });
  expect(answer).toEqual({ kind: 'held', recheckAt: at - HOUR + 7 * DAY + 1_000 });
  const recheckAt = (answer as { recheckAt: number }).recheckAt;
  expect(await held.checkpoint({ guard, at: recheckAt, watchHeld: true })).toEqual({
    kind: 'guarded',
    guard: expect.objectContaining({ kind: 'goal', nodeId: 'exit' }) as unknown,
  });
});

it('a held run that does not ask (a workflow from before watchHeld) is held with no time to look again', async () => {
  const at = Date.now();
  const held = await runBeforeAction(at);
  const guard: Guard = { exit: [quiet], goals: [] };

  expect(await held.checkpoint({ guard, at })).toEqual({ kind: 'held' });
  expect(await held.checkpoint({ guard, at, watchHeld: false })).toEqual({ kind: 'held' });
  expect(await held.status()).toBe('held');
});

it('a held run whose exit conditions and goals time cannot change has no time to look again', async () => {
  const at = Date.now();
  const held = await runBeforeAction(at);
  const guard: Guard = {
    exit: [vip],
    goals: [{ nodeId: 'exit', condition: { kind: 'tag', op: 'has', tag: 'customer' } }],
  };

  expect(await held.checkpoint({ guard, at, watchHeld: true })).toEqual({ kind: 'held' });
  expect(await held.status()).toBe('held');
});

it('a run of a live journey is not held, even when it asks to watch a hold', async () => {
  const at = Date.now();
  const going = await runBeforeAction(at, { paused: false });
  const guard: Guard = { exit: [quiet], goals: [] };

  expect(await going.checkpoint({ guard, at, watchHeld: true })).toEqual({
    kind: 'clear',
    check: null,
  });
  expect(await going.status()).toBe('active');
});
