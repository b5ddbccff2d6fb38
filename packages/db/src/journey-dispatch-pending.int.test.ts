import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db';
import {
  claimDueDispatches,
  deletePendingDispatches,
  findDispatchBacklog,
  recordPendingDispatches,
  reschedulePendingDispatch,
  type UndeliveredDispatch,
} from './index';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const at = (iso: string) => new Date(iso);

function signal(
  workflowId: string,
  nextAttemptAt: Date,
  error = 'unavailable',
): UndeliveredDispatch {
  return {
    workspaceId: db.workspaceId,
    kind: 'signal',
    workflowId,
    payload: { v: 1, name: 'journeyRun.notify', args: [{ kind: 'contact' }] },
    error,
    nextAttemptAt,
  };
}

it('keeps one row per delivery; a claim leases it; a newer failure survives the delete of an older claim', async () => {
  await recordPendingDispatches(db.sql, [signal('run:a', at('2030-01-01T00:00:10Z'))]);
  await recordPendingDispatches(db.sql, [
    signal('run:a', at('2030-01-01T00:00:05Z'), 'deadline exceeded'),
    signal('run:b', at('2030-01-01T00:01:00Z')),
  ]);
  // The same signal again is the same row, due at the earlier time, with the newer error.
  expect(
    await claimDueDispatches(db.sql, {
      now: at('2030-01-01T00:00:04Z'),
      leaseMs: 60_000,
      limit: 10,
    }),
  ).toEqual([]);
  const [claimed, ...others] = await claimDueDispatches(db.sql, {
    now: at('2030-01-01T00:00:05Z'),
    leaseMs: 60_000,
    limit: 10,
  });
  expect(others).toEqual([]);
  expect(claimed).toMatchObject({
    workflowId: 'run:a',
    revision: 2,
    lastError: 'deadline exceeded',
  });
  // Leased: not claimed again before the lease ends.
  expect(
    await claimDueDispatches(db.sql, {
      now: at('2030-01-01T00:00:30Z'),
      leaseMs: 60_000,
      limit: 10,
    }),
  ).toEqual([]);

  // While it is being delivered, the dispatcher fails to send it once more: the delete of the
  // older claim leaves the row for that newer failure.
  await recordPendingDispatches(db.sql, [signal('run:a', at('2030-01-01T00:00:20Z'))]);
  await deletePendingDispatches(db.sql, [claimed!]);
  const [again] = await claimDueDispatches(db.sql, {
    now: at('2030-01-01T00:00:20Z'),
    leaseMs: 60_000,
    limit: 1,
  });
  expect(again).toMatchObject({ id: claimed!.id, revision: 3 });
  await deletePendingDispatches(db.sql, [again!]);

  await reschedulePendingDispatch(db.sql, {
    id: (
      await claimDueDispatches(db.sql, {
        now: at('2030-01-01T00:01:00Z'),
        leaseMs: 60_000,
        limit: 1,
      })
    )[0]!.id,
    attempts: 10,
    nextAttemptAt: at('2030-01-01T00:16:00Z'),
    error: 'still unavailable',
    stuckAt: at('2030-01-01T00:01:00Z'),
  });
  expect(
    await findDispatchBacklog(db.sql, { workspaceId: db.workspaceId, limit: 10 }),
  ).toMatchObject({
    pending: 0,
    stuck: 1,
    items: [
      {
        workflowId: 'run:b',
        attempts: 10,
        lastError: 'still unavailable',
        stuckSince: at('2030-01-01T00:01:00Z'),
      },
    ],
  });
});
