import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db';
import {
  ABANDONED_RECHECK_MS,
  countSettingsRecheckStep,
  endSettingsRecheck,
  latestSettingsRecheck,
  resumeAbandonedSettingsRechecks,
  startSettingsRecheck,
} from './settings-rechecks';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const at = (iso: string) => new Date(iso);

/** A re-check recorded at `started`, that moved `scores` scores and `moves` memberships. */
async function recheck(started: Date, scores: number, moves: number, finished: Date | null) {
  const { id } = await startSettingsRecheck(db.sql, db.workspaceId, 'scoring');
  await db.sql`update settings_rechecks set started_at = ${started} where id = ${id}`;
  await countSettingsRecheckStep(db.sql, id, {
    kind: 'scores',
    changedContactIds: Array.from({ length: scores }, (_, i) => String(i)),
  });
  await db.sql`
    update settings_rechecks set memberships_changed = ${moves} where id = ${id}`;
  if (finished) {
    await endSettingsRecheck(db.sql, id);
    await db.sql`update settings_rechecks set finished_at = ${finished} where id = ${id}`;
  }
  return id;
}

it('counts what quick saves in a row changed together, running while any of them runs', async () => {
  // An earlier save, long done: not part of the latest saves.
  await recheck(at('2026-01-01T10:00:00Z'), 7, 7, at('2026-01-01T10:01:00Z'));
  // Two saves seconds apart: the first was still moving scores when the second began.
  const first = await recheck(at('2026-01-02T10:00:00Z'), 300, 20, null);
  const second = await recheck(at('2026-01-02T10:00:05Z'), 40, 2, at('2026-01-02T10:00:30Z'));
  expect(await latestSettingsRecheck(db.sql, db.workspaceId, 'scoring')).toMatchObject({
    id: second,
    status: 'running',
    scoresChanged: 340,
    membershipsChanged: 22,
    startedAt: at('2026-01-02T10:00:00Z'),
    finishedAt: null,
    saves: 2,
  });

  await endSettingsRecheck(db.sql, first);
  await db.sql`
    update settings_rechecks set finished_at = ${at('2026-01-02T10:00:40Z')} where id = ${first}`;
  expect(await latestSettingsRecheck(db.sql, db.workspaceId, 'scoring')).toMatchObject({
    status: 'done',
    scoresChanged: 340,
    finishedAt: at('2026-01-02T10:00:40Z'),
    saves: 2,
  });

  // A save once those had ended stands alone.
  await recheck(at('2026-01-03T10:00:00Z'), 1, 0, at('2026-01-03T10:00:10Z'));
  expect(await latestSettingsRecheck(db.sql, db.workspaceId, 'scoring')).toMatchObject({
    status: 'done',
    scoresChanged: 1,
    membershipsChanged: 0,
    saves: 1,
  });
});

it('runs a re-check whose workflow never started once it is long overdue', async () => {
  const now = at('2026-02-01T12:00:00Z');
  const lost = await recheck(new Date(now.getTime() - ABANDONED_RECHECK_MS - 60_000), 0, 0, null);
  const young = await recheck(new Date(now.getTime() - 60_000), 0, 0, null);
  expect(await resumeAbandonedSettingsRechecks(db.sql, { now })).toEqual([lost]);
  const status = async (id: string) =>
    (await db.sql<{ status: string }[]>`select status from settings_rechecks where id = ${id}`)[0]!
      .status;
  expect(await status(lost)).toBe('done');
  // A re-check recorded a minute ago may be its workflow's to run: left alone.
  expect(await status(young)).toBe('running');
  expect(await resumeAbandonedSettingsRechecks(db.sql, { now })).toEqual([]);
});
