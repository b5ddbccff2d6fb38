// A suppression is stored in one form, the domain in Unicode, and every read compares in that
// form (migration 0089): an address suppressed before anyone held it stops mail to a later
// contact who writes the domain the other way, in both orders, at send time, on the contact's
// preferences and in the suppression list.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '@relance/db';
import {
  applyFeedback,
  normaliseEmail,
  prepareSend,
  suppressAddress,
  upsertEmailTopic,
} from '@relance/email';
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
  ({ call } = createTestApp({
    db,
    temporal,
    dispatcher: createRecordingDispatcher().dispatcher,
  }));
  await upsertEmailTopic(db.sql, {
    workspaceId: db.workspaceId,
    key: 'newsletter',
    name: 'Newsletter',
    optIn: false,
  });
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

/** A contact as identify and the CSV import store it: trimmed and lower-cased, domain as written. */
async function contact(email: string): Promise<string> {
  const [row] = await db.sql<{ id: string }[]>`
    insert into contacts (workspace_id, email) values (${db.workspaceId}, ${email}) returning id`;
  return row!.id;
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

const suppressedFor = async (contactId: string) =>
  (
    (await call('GET', `/api/contacts/${contactId}/preferences`)).body as {
      suppressedFor: string[];
    }
  ).suppressedFor;

async function stored(like: string) {
  const rows = await db.sql<{ email: string; reason: string }[]>`
    select email, reason from email_suppressions
    where workspace_id = ${db.workspaceId} and email like ${like} order by email, reason`;
  return rows.map((r) => `${r.email} ${r.reason}`);
}

// The app's API takes the punycode form (its address check is ASCII only); a Unicode suppression
// comes from an unsubscribe, a feedback report or an integration through `suppressAddress`.
async function suppress(email: string, by: 'api' | 'app') {
  if (by === 'api') {
    const post = await call('POST', '/api/suppressions', { email, reason: 'manual' });
    expect(post.status).toBe(201);
    expect((post.body as { email: string }).email).toBe(unicodeOf(email));
  } else {
    await suppressAddress(db.sql, { workspaceId: db.workspaceId, email, reason: 'manual' });
  }
}
const unicodeOf = (email: string) => email.replace('xn--exmple-cua', 'exämple');
const punycodeOf = (email: string) => email.replace('exämple', 'xn--exmple-cua');

describe.each([
  { form: 'Unicode', added: 'ana@exämple.test', by: 'app', holder: 'ana@xn--exmple-cua.test' },
  { form: 'punycode', added: 'bo@xn--exmple-cua.test', by: 'api', holder: 'bo@exämple.test' },
] as const)(
  'an address suppressed in its $form form before anyone held it',
  ({ added, by, holder }) => {
    it('is stored in one form and stops mail to a contact who writes the domain the other way', async () => {
      await suppress(added, by);
      const unicode = unicodeOf(added);
      const id = await contact(holder);
      expect(await send(id)).toMatchObject({ kind: 'skip', reason: 'suppressed_manual' });
      expect(await suppressedFor(id)).toEqual(['manual']);

      // A bounce reported under the punycode form we send to lands on the same address.
      await applyFeedback(
        db.sql,
        {
          kind: 'bounce',
          hard: true,
          recipient: punycodeOf(holder),
          messageId: null,
          internetMessageId: null,
          detail: '550 5.1.1',
        },
        { workspaceId: db.workspaceId },
      );
      expect(await stored(`${added.split('@')[0]}@%`)).toEqual([
        `${unicode} hard_bounce`,
        `${unicode} manual`,
      ]);
      expect(await send(id)).toMatchObject({ kind: 'skip', reason: 'suppressed_hard_bounce' });

      // The punycode spelling finds it in the list and lifts it.
      const search = await call(
        'GET',
        `/api/suppressions?q=${encodeURIComponent(punycodeOf(holder))}`,
      );
      expect((search.body as { suppressions: { email: string }[] }).suppressions).toHaveLength(2);
      for (const reason of ['manual', 'hard_bounce']) {
        const removed = await call(
          'DELETE',
          `/api/suppressions/${encodeURIComponent(punycodeOf(holder))}?reason=${reason}`,
        );
        expect(removed.status).toBe(204);
      }
      expect(await send(id)).toMatchObject({ kind: 'send' });
      expect(await suppressedFor(id)).toEqual([]);
    });
  },
);

it('suppresses by hand a contact who holds the punycode form, under the Unicode form', async () => {
  const id = await contact('cy@xn--caf-dma.example');
  await suppressAddress(db.sql, {
    workspaceId: db.workspaceId,
    email: 'CY@xn--caf-dma.example',
    reason: 'complaint',
  });
  expect(await stored('cy@%')).toEqual(['cy@café.example complaint']);
  expect(await send(id)).toMatchObject({ kind: 'skip', reason: 'suppressed_complaint' });
  expect(await suppressedFor(id)).toEqual(['complaint']);
});

it('carries an unsubscribe through a merge, and counts it when the contact is deleted', async () => {
  const survivor = await contact('dee@xn--caf-dma.example');
  const other = await contact('dee.old@xn--caf-dma.example');
  await suppressAddress(db.sql, {
    workspaceId: db.workspaceId,
    email: 'dee.old@café.example',
    reason: 'unsubscribed',
  });
  const merged = await call('POST', `/api/contacts/${survivor}/merge`, { otherId: other });
  expect(merged.status).toBe(200);
  expect(await stored('dee%')).toEqual([
    'dee.old@café.example unsubscribed',
    'dee@café.example unsubscribed',
  ]);
  expect(await send(survivor)).toMatchObject({ kind: 'skip', reason: 'suppressed_unsubscribed' });
  const deleted = await call('DELETE', `/api/contacts/${survivor}`);
  expect(deleted.status).toBe(200);
  expect(deleted.body.deleted).toMatchObject({ addressesStillSuppressed: 2 });
});

it('takes an address with a Unicode domain in the suppression API, and lifts it by either form', async () => {
  const post = await call('POST', '/api/suppressions', { email: 'Eve@Exämple.test' });
  expect(post.status).toBe(201);
  expect(post.body).toEqual({ email: 'eve@exämple.test', reasons: ['manual'] });
  const eve = await contact('eve@xn--exmple-cua.test');
  expect(await send(eve)).toMatchObject({ kind: 'skip', reason: 'suppressed_manual' });
  const removed = await call(
    'DELETE',
    `/api/suppressions/${encodeURIComponent('eve@exämple.test')}`,
  );
  expect(removed.status).toBe(204);
  const bad = await call('POST', '/api/suppressions', { email: 'eve@' });
  expect(bad.status).toBe(400);
  expect(JSON.stringify(bad.body)).toContain('Enter the address to suppress');
});

describe('migration 0089', () => {
  async function runMigration() {
    const text = await readFile(`${MIGRATIONS_DIR}/0089_suppressions_one_domain_form.sql`, 'utf8');
    // As `migrate` runs it, inside one transaction; the functions exist from the first run.
    await db.sql.begin(async (tx) => {
      await tx`drop function if exists relance_email_unicode(text)`;
      await tx`drop function if exists relance_unicode_domain(text)`;
      await tx`drop function if exists relance_punycode_label(text)`;
      await tx.unsafe(text);
    });
  }

  it('decodes an address as the app does, and leaves one that does not decode as it is', async () => {
    const addresses = [
      'u@xn--exmple-cua.test',
      'u@xn--80aairftm.xn--p1ai',
      'u@mail.xn--bcher-kva.example',
      'u@xn--ls8h.la',
      'u@xn--fiqs8s.cn',
      'u@xn--mgbh0fb.xn--kgbechtv',
      'u@xn--9n2bp8q.xn--9t4b11yi5a',
      'u@plain.test',
      'xn--a@plain.test',
      'u@xn--a.com',
      'u@xn--mnchen-3ya-.de',
      'no-at-sign',
    ];
    const [row] = await db.sql<{ decoded: string[] }[]>`
      select array(select relance_email_unicode(a) from unnest(${addresses}::text[])
                   with ordinality as u(a, n) order by n) as decoded`;
    const app = addresses.map(normaliseEmail);
    expect(row!.decoded).toEqual(app);
  });

  it('moves the rows left under a punycode domain to the Unicode form, the earlier kept', async () => {
    await db.sql`
      insert into email_suppressions (workspace_id, email, reason, detail, created_at) values
        (${db.workspaceId}, 'li@xn--bcher-kva.example', 'unsubscribed', 'old', '2025-01-01'),
        (${db.workspaceId}, 'li@bücher.example', 'unsubscribed', 'new', '2025-02-01'),
        (${db.workspaceId}, 'li@xn--bcher-kva.example', 'complaint', null, '2025-03-01'),
        (${db.workspaceId}, 'li@xn--a.example', 'manual', null, '2025-03-01')`;
    const li = await contact('li@xn--bcher-kva.example');
    await runMigration();
    const rows = await db.sql<{ row: string }[]>`
      select email || ' ' || reason || ' ' || coalesce(detail, '-') as row from email_suppressions
      where workspace_id = ${db.workspaceId} and email like 'li@%' order by email, reason`;
    expect(rows.map((r) => r.row)).toEqual([
      'li@bücher.example complaint -',
      'li@bücher.example unsubscribed old',
      'li@xn--a.example manual -',
    ]);
    expect(await send(li)).toMatchObject({ kind: 'skip', reason: 'suppressed_complaint' });
    expect(await suppressedFor(li)).toEqual(['complaint', 'unsubscribed']);
  });
});
