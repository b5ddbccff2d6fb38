// When a waiting run looks again at conditions that turn true by time alone: the checkpoint
// reads the next instant one of them can flip for the contact, from Postgres, and the condition
// as the segment engine evaluates it does flip then.

import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  FILTER_RECHECK_MS,
  MIN_RECHECK_GAP_MS,
  nextTimeChange,
} from '@relance/activities/journeys/gate';
import type { JourneyActivityDeps } from '@relance/activities/journeys/deps';
import { evaluateCondition, ingestMessages, mergeContacts, type IngestMessage } from '@relance/db';
import type { Condition } from '@relance/flow';
import type { RunRef } from '@relance/workflows/journey-activities';
import { createTestDatabase, type TestDatabase } from '../../support/db';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-03-02T10:00:00Z');

let users = 0;
/** A contact made at T0 by `messages` (identify or track), returned as a run of it. */
async function contactWith(
  messages: (
    | Omit<Extract<IngestMessage, { type: 'track' }>, 'identity'>
    | Omit<Extract<IngestMessage, { type: 'identify' }>, 'identity'>
  )[],
): Promise<RunRef> {
  const userId = `user-${++users}`;
  const result = await ingestMessages(
    db.sql,
    db.workspaceId,
    messages.map((m) => ({ ...m, identity: { userId } })),
    { now: new Date(T0) },
  );
  return {
    runId: '00000000-0000-4000-8000-000000000000',
    workflowId: `run:j:${userId}`,
    workspaceId: db.workspaceId,
    journeyId: 'j',
    versionId: 'v',
    contactId: result.contactIds[0]!,
  };
}

const track = (event: string, at: number, properties: Record<string, unknown> = {}) => ({
  type: 'track' as const,
  event,
  properties,
  occurredAt: new Date(at),
});
const identify = (traits: Record<string, unknown>, timezone?: string) => ({
  type: 'identify' as const,
  traits,
  rawTraits: traits,
  ...(timezone ? { timezone } : {}),
  occurredAt: new Date(T0 - DAY),
});

const deps = () => ({ sql: db.sql }) as unknown as JourneyActivityDeps;
const next = (run: RunRef, condition: Condition, at: number) =>
  nextTimeChange(deps(), run, { conditions: [condition], filters: [] }, at);
const holds = async (run: RunRef, condition: Condition, at: number) =>
  (
    await evaluateCondition(db.sql, {
      workspaceId: run.workspaceId,
      contactId: run.contactId,
      condition,
      now: new Date(at),
    })
  ).matched;

/** The recheck instant, and that the condition flipped just before it. */
async function flipsAt(run: RunRef, condition: Condition, at: number): Promise<number> {
  const recheckAt = await next(run, condition, at);
  expect(recheckAt).toBeDefined();
  expect(await holds(run, condition, recheckAt! - 2_000)).not.toBe(
    await holds(run, condition, recheckAt!),
  );
  return recheckAt!;
}

it('reads "no open for 7 days" as turning true 7 days after the last open', async () => {
  const run = await contactWith([track('email.opened', T0 - HOUR)]);
  const quiet: Condition = {
    kind: 'event_last',
    event: 'email.opened',
    op: 'more_than',
    duration: '7d',
    includeNever: true,
  };
  expect(await flipsAt(run, quiet, T0)).toBe(T0 - HOUR + 7 * DAY + 1_000);
  // Past it, nothing more can change by time alone.
  expect(await next(run, quiet, T0 + 8 * DAY)).toBeUndefined();
});

it('reads "no click by a person for 7 days" from the person’s last click, not a scanner’s later one', async () => {
  const run = await contactWith([
    track('email.clicked', T0 - HOUR, { machine: false, agent: 'browser' }),
    track('email.clicked', T0 - 10 * MINUTE, { machine: true, agent: 'scanner' }),
  ]);
  const quiet: Condition = {
    kind: 'event_last',
    event: 'email.clicked',
    op: 'more_than',
    duration: '7d',
    includeNever: true,
    humanOnly: true,
  };
  expect(await flipsAt(run, quiet, T0)).toBe(T0 - HOUR + 7 * DAY + 1_000);
});

it('counts from when the contact joined for one who never opened', async () => {
  const run = await contactWith([track('page.viewed', T0)]);
  const quiet: Condition = {
    kind: 'event_last',
    event: 'email.opened',
    op: 'more_than',
    duration: '7d',
    includeNever: true,
  };
  const [joined] = await db.sql<{ createdAt: Date }[]>`
    select created_at from contacts where id = ${run.contactId}`;
  expect(await flipsAt(run, quiet, T0 + HOUR)).toBe(joined!.createdAt.getTime() + 7 * DAY + 1_000);
});

it('reads a date property "within the next 3 days" on entering and on leaving', async () => {
  const renewsOn = T0 + 10 * DAY;
  const run = await contactWith([identify({ renews_on: new Date(renewsOn).toISOString() })]);
  const soon: Condition = {
    kind: 'property',
    property: 'renews_on',
    op: 'within_next',
    value: '3d',
  };
  expect(await flipsAt(run, soon, T0)).toBe(renewsOn - 3 * DAY + 1_000);
  expect(await flipsAt(run, soon, renewsOn - DAY)).toBe(renewsOn + 1_000);
});

it('reads an email window as changing when its oldest open or click leaves it', async () => {
  const run = await contactWith([
    track('email.clicked', T0 - 20 * DAY, { messageId: 'm1' }),
    track('email.opened', T0 - 10 * DAY, { messageId: 'm2' }),
  ]);
  const engaged: Condition = {
    kind: 'email',
    action: 'opened',
    op: 'at_least',
    count: 2,
    within: '30d',
  };
  // The click counts as an open: it leaves the window first.
  expect(await flipsAt(run, engaged, T0)).toBe(T0 - 20 * DAY + 30 * DAY + 1_000);
});

it('reads an anniversary as changing at the contact’s next local midnight', async () => {
  const run = await contactWith([identify({ birthday: '1990-03-05' }, 'America/New_York')]);
  const birthday: Condition = {
    kind: 'property',
    property: 'birthday',
    op: 'anniversary_in',
    days: 0,
  };
  // 4 March 23:00 in New York; the birthday starts at its midnight, 05:00 UTC on 5 March.
  const at = Date.parse('2026-03-05T04:00:00Z');
  expect(await flipsAt(run, birthday, at)).toBe(Date.parse('2026-03-05T05:00:01Z'));
  // "Birthday in the next 7 days" changes at the same midnights: 26 February enters the week.
  const week: Condition = { ...birthday, op: 'anniversary_within', days: 7 };
  const before = Date.parse('2026-02-26T04:00:00Z');
  expect(await flipsAt(run, week, before)).toBe(Date.parse('2026-02-26T05:00:01Z'));
});

it('looks again hourly for a date inside an event filter, and never for tags', async () => {
  const run = await contactWith([
    track('subscription.started', T0 - DAY, { ends_at: new Date(T0 + 30 * DAY).toISOString() }),
  ]);
  const ending: Condition = {
    kind: 'event_count',
    event: 'subscription.started',
    where: { kind: 'property', property: 'ends_at', op: 'within_next', value: '7d' },
    op: 'at_least',
    count: 1,
  };
  expect(await next(run, ending, T0)).toBe(T0 + FILTER_RECHECK_MS);
  expect(await next(run, { kind: 'tag', op: 'has', tag: 'vip' }, T0)).toBeUndefined();
  // A wait for an event whose filter holds a date is looked at hourly too.
  expect(
    await nextTimeChange(
      deps(),
      run,
      {
        conditions: [],
        filters: [{ kind: 'property', property: 'ends_at', op: 'within_next', value: '7d' }],
      },
      T0,
    ),
  ).toBe(T0 + FILTER_RECHECK_MS);
});

it('spaces re-checks at least 15 minutes apart when instants crowd together', async () => {
  const run = await contactWith([track('page.viewed', T0 - 7 * DAY + MINUTE)]);
  const busy: Condition = {
    kind: 'event_count',
    event: 'page.viewed',
    op: 'at_most',
    count: 0,
    within: '7d',
  };
  expect(await next(run, busy, T0)).toBe(T0 + MIN_RECHECK_GAP_MS);
});

it('reads the survivor’s events for a run whose contact was merged', async () => {
  const run = await contactWith([track('page.viewed', T0 - DAY)]);
  const survivor = await contactWith([track('email.opened', T0 - 2 * HOUR)]);
  await mergeContacts(db.sql, {
    workspaceId: db.workspaceId,
    contactId: survivor.contactId,
    otherId: run.contactId,
    now: new Date(T0),
  });
  const quiet: Condition = {
    kind: 'event_last',
    event: 'email.opened',
    op: 'more_than',
    duration: '7d',
    includeNever: true,
  };
  expect(await flipsAt(run, quiet, T0)).toBe(T0 - 2 * HOUR + 7 * DAY + 1_000);
});
