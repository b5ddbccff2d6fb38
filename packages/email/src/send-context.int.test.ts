import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db';
import { compileTemplate } from './compile-template';
import { prepareSend } from './prepare-send';
import { loadSendContext } from './send-context';
import { insertContact } from './test-db-helpers';
import { marketingTemplate } from './test-fixtures';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

async function orderEvent(contactId: string, amount: unknown): Promise<string> {
  const [row] = await db.sql<{ id: string }[]>`
    insert into events (workspace_id, contact_id, name, properties, occurred_at)
    values (${db.workspaceId}, ${contactId}, 'order.completed',
            ${db.sql.json({ amount } as Record<string, string>)}, now())
    returning id`;
  return row!.id;
}

const thanks = marketingTemplate({ subject: 'Thanks for your {{ event.amount | money }} order' });

describe('the money filter in a send', () => {
  it('writes an order in the workspace currency and page language, on the send path and the preview', async () => {
    await db.sql`
      update workspaces set currency = 'EUR', page_language = 'fr' where id = ${db.workspaceId}`;
    const contactId = await insertContact(db.sql, db.workspaceId, { email: 'ana@example.test' });
    const eventId = await orderEvent(contactId, 59.9);
    const compiled = await compileTemplate(thanks);

    const send = await prepareSend(db.sql, {
      workspaceId: db.workspaceId,
      contactId,
      eventId,
      kind: 'transactional',
      topic: null,
      now: new Date(),
    });
    const preview = await loadSendContext(db.sql, {
      workspaceId: db.workspaceId,
      contactId,
      eventId,
    });
    for (const context of [send.context!, preview]) {
      expect(context.workspace).toMatchObject({ currency: 'EUR', page_language: 'fr' });
      const content = await compiled.render({ contact: {}, ...context });
      expect(content.subject).toMatch(/^Thanks for your 59,90\s€ order$/);
    }

    await db.sql`
      update workspaces set currency = 'USD', page_language = null where id = ${db.workspaceId}`;
    const context = await loadSendContext(db.sql, {
      workspaceId: db.workspaceId,
      contactId,
      eventId,
    });
    const content = await compiled.render({ contact: { locale: 'en-GB' }, ...context });
    expect(content.subject).toBe('Thanks for your US$59.90 order');
  });
});
