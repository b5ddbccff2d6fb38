// Migration 0080: suppressions stored before session 19 under the punycode form of an
// internationalised domain are rewritten in the form sends compare with (the contact's, else the
// Unicode form), duplicates merged keeping the earliest, so they stop mail again.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '@relance/db';
import { normaliseEmail, prepareSend, suppressionReasons, upsertEmailTopic } from '@relance/email';
import { createTestDatabase, type TestDatabase } from '../../support/db';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await upsertEmailTopic(db.sql, {
    workspaceId: db.workspaceId,
    key: 'newsletter',
    name: 'Newsletter',
    optIn: false,
  });
});
afterAll(async () => {
  await db?.drop();
});

async function runMigration() {
  const text = await readFile(`${MIGRATIONS_DIR}/0080_suppressions_unicode_domains.sql`, 'utf8');
  // As `migrate` runs it: inside the transaction of the pending migrations.
  await db.sql.begin((tx) => tx.unsafe(text));
}

async function contact(email: string): Promise<string> {
  const [row] = await db.sql<{ id: string }[]>`
    insert into contacts (workspace_id, email) values (${db.workspaceId}, ${email}) returning id`;
  return row!.id;
}

/** A suppression as a release before session 19 stored it: the address as the report gave it. */
async function oldSuppression(
  email: string,
  reason: string,
  createdAt: string,
  detail: string | null = null,
) {
  await db.sql`
    insert into email_suppressions (workspace_id, email, reason, detail, created_at)
    values (${db.workspaceId}, ${email}, ${reason}, ${detail}, ${createdAt})`;
}

async function stored() {
  const rows = await db.sql<{ email: string; reason: string; detail: string | null; at: Date }[]>`
    select email, reason, detail, created_at as at from email_suppressions
    where workspace_id = ${db.workspaceId} order by email, reason`;
  return rows.map((r) => `${r.email} ${r.reason} ${r.detail ?? '-'} ${r.at.toISOString()}`);
}

const send = async (contactId: string) =>
  (
    await prepareSend(db.sql, {
      workspaceId: db.workspaceId,
      contactId,
      kind: 'marketing',
      topic: 'newsletter',
      now: new Date(),
    })
  ).decision;

it('decodes each punycode domain as the app does', async () => {
  const domains = [
    'xn--exmple-cua.test',
    'xn--80aairftm.xn--p1ai',
    'mail.xn--bcher-kva.example',
    'xn--mnchen-3ya.de',
    'xn--ls8h.la',
    'xn--fiqs8s.cn',
    'xn--ab-fia.com',
    'xn--wgbh1c',
    'xn--mgbh0fb.xn--kgbechtv',
    'xn--fsqu00a.xn--0zwm56d',
    'xn--hxajbheg2az3al.xn--jxalpdlp',
    'xn--9n2bp8q.xn--9t4b11yi5a',
  ];
  const rows = domains.map((domain, i) => `u${i}@${domain}`);
  for (const email of rows) await oldSuppression(email, 'hard_bounce', '2025-01-01T00:00:00Z');
  await runMigration();
  const now = await db.sql<{ email: string }[]>`
    select email from email_suppressions where workspace_id = ${db.workspaceId}
      and email like 'u%' order by email`;
  const expected = rows.map(normaliseEmail);
  expect(expected.every((email, i) => email !== rows[i])).toBe(true);
  expect(now.map((r) => r.email).sort()).toEqual([...expected].sort());
  await db.sql`delete from email_suppressions where workspace_id = ${db.workspaceId}`;
});

it('leaves a label that does not decode, or decodes to no international letter, as it is', async () => {
  const kept = [
    'a@xn--a.com',
    'b@xn--zz.com',
    'c@xn--.com',
    'd@xn--mnchen-3ya-.de',
    'e@plain.test',
  ];
  for (const email of kept) await oldSuppression(email, 'complaint', '2025-01-01T00:00:00Z');
  await runMigration();
  const now = await db.sql<{ email: string }[]>`
    select email from email_suppressions where workspace_id = ${db.workspaceId} order by email`;
  expect(now.map((r) => r.email)).toEqual(kept);
  await db.sql`delete from email_suppressions where workspace_id = ${db.workspaceId}`;
});

it('suppresses again the contacts whose old suppressions were under the punycode form', async () => {
  // Ana keeps the Unicode form; her bounce was stored as reported, and a later manual
  // suppression of the same reason under the Unicode form is merged into the earlier one.
  const ana = await contact('ana@exämple.test');
  await oldSuppression(
    'ana@xn--exmple-cua.test',
    'hard_bounce',
    '2025-03-01T10:00:00Z',
    '550 5.1.1',
  );
  await oldSuppression('ana@exämple.test', 'hard_bounce', '2025-06-01T10:00:00Z', 'later');
  await oldSuppression('ana@xn--exmple-cua.test', 'complaint', '2025-04-01T10:00:00Z');
  // Li's contact keeps the punycode form, the form sends compare: left as it is.
  const li = await contact('li@xn--exmple-cua.test');
  await oldSuppression('li@xn--exmple-cua.test', 'unsubscribed', '2025-05-01T10:00:00Z');
  // Mo is two contacts, one under each form: the mailbox is suppressed for both.
  const moAscii = await contact('mo@xn--caf-dma.example');
  const moUnicode = await contact('mo@café.example');
  await oldSuppression('mo@xn--caf-dma.example', 'complaint', '2025-02-01T10:00:00Z');
  // No contact has Zoe's address (yet): the Unicode form, where suppressAddress would put it.
  await oldSuppression('zoe@xn--80aairftm.xn--p1ai', 'manual', '2025-01-15T10:00:00Z', 'asked');
  // The merged reason's later duplicate is the one kept when it was the earlier.
  await oldSuppression('ann@bücher.example', 'manual', '2025-01-01T10:00:00Z', 'first');
  await oldSuppression('ann@xn--bcher-kva.example', 'manual', '2025-02-01T10:00:00Z', 'second');

  // Before: the complaint under the punycode form is not seen; Mo's Unicode contact is mailed.
  expect(await send(ana)).toMatchObject({ kind: 'skip', reason: 'suppressed_hard_bounce' });
  expect(await send(moUnicode)).toMatchObject({ kind: 'send' });

  await runMigration();

  expect(await stored()).toEqual([
    'ana@exämple.test complaint - 2025-04-01T10:00:00.000Z',
    'ana@exämple.test hard_bounce 550 5.1.1 2025-03-01T10:00:00.000Z',
    'ann@bücher.example manual first 2025-01-01T10:00:00.000Z',
    'li@xn--exmple-cua.test unsubscribed - 2025-05-01T10:00:00.000Z',
    'mo@café.example complaint - 2025-02-01T10:00:00.000Z',
    'mo@xn--caf-dma.example complaint - 2025-02-01T10:00:00.000Z',
    'zoe@магазин.рф manual asked 2025-01-15T10:00:00.000Z',
  ]);
  expect(await send(ana)).toMatchObject({ kind: 'skip', reason: 'suppressed_complaint' });
  expect(await send(li)).toMatchObject({ kind: 'skip', reason: 'suppressed_unsubscribed' });
  expect(await send(moAscii)).toMatchObject({ kind: 'skip', reason: 'suppressed_complaint' });
  expect(await send(moUnicode)).toMatchObject({ kind: 'skip', reason: 'suppressed_complaint' });
  const zoe = await contact('zoe@магазин.рф');
  expect(await send(zoe)).toMatchObject({ kind: 'skip', reason: 'suppressed_manual' });
  expect(await suppressionReasons(db.sql, db.workspaceId, 'ZOE@xn--80aairftm.xn--p1ai')).toEqual([
    'manual',
  ]);

  // A second run finds nothing left to move.
  const before = await stored();
  await runMigration();
  expect(await stored()).toEqual(before);
});
