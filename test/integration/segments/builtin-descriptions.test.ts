// The built-in segments' descriptions read in a marketer's words, in new workspaces and, through
// migration 0100, in existing ones, where the marketer has not written their own.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MIGRATIONS_DIR, seedWorkspaceDefaults } from '@relance/db';
import { BUILTIN_SEGMENTS } from '@relance/segments';
import { createTestDatabase, type TestDatabase } from '../../support/db';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const descriptions = async () =>
  Object.fromEntries(
    (
      await db.sql<{ builtin: string; description: string }[]>`
        select builtin, description from segments
        where workspace_id = ${db.workspaceId} and builtin is not null`
    ).map((r) => [r.builtin, r.description]),
  );

it('name no event or property the way a developer writes them', () => {
  for (const segment of BUILTIN_SEGMENTS) {
    expect(segment.description).not.toMatch(/order\.completed|\bamount\b|\bsum of\b|\.\w+\)/);
  }
});

it('reach existing workspaces through migration 0100, leaving descriptions a marketer wrote', async () => {
  await seedWorkspaceDefaults(db.sql, db.workspaceId);
  // As an older Relance wrote them, and one the marketer changed.
  await db.sql`
    update segments set description = 'Spent 500 or more in the last year (sum of order.completed amount).'
    where workspace_id = ${db.workspaceId} and builtin = 'value-high'`;
  await db.sql`
    update segments set description = 'Contacts who have never completed an order.'
    where workspace_id = ${db.workspaceId} and builtin = 'prospects'`;
  await db.sql`
    update segments set description = 'Our big spenders'
    where workspace_id = ${db.workspaceId} and builtin = 'value-medium'`;

  await db.sql.begin(async (tx) => {
    await tx.unsafe(
      await readFile(`${MIGRATIONS_DIR}/0100_builtin_segment_descriptions.sql`, 'utf8'),
    );
  });

  const now = await descriptions();
  expect(now['value-high']).toBe('Spent 500 or more in the last year, all their orders added up.');
  expect(now.prospects).toBe('Contacts who have never placed an order.');
  expect(now['value-medium']).toBe('Our big spenders');
  expect(now['value-low']).toBe(
    'Spent something, less than 100, in the last year, all their orders added up.',
  );
  const shipped = Object.fromEntries(BUILTIN_SEGMENTS.map((s) => [s.key, s.description]));
  expect(now['value-high']).toBe(shipped['value-high']);
  expect(now.prospects).toBe(shipped.prospects);
});
