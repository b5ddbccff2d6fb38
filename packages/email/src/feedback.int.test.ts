import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db';
import { applyFeedback } from './apply-feedback';
import type { MailFeedback } from './feedback';
import { claimMessageForSend, markMessageSent, recordMessageBeforeSend } from './store/messages';
import { suppressionReasons } from './store/suppressions';
import { insertWorkspace } from './test-db-helpers';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

async function sentMessage(to: string) {
  const { message } = await recordMessageBeforeSend(db.sql, {
    workspaceId: db.workspaceId,
    idempotencyKey: `k-${to}`,
    contactId: null,
    templateId: null,
    kind: 'marketing',
    topic: 'newsletter',
    toAddress: to,
  });
  await claimMessageForSend(db.sql, message.id, {
    subject: 's',
    internetMessageId: `<${message.id}@acme.test>`,
    toAddress: to,
    provider: 'smtp',
  });
  return markMessageSent(db.sql, message.id, { providerMessageId: 'p' });
}

const bounce = (overrides: Partial<Extract<MailFeedback, { kind: 'bounce' }>>): MailFeedback => ({
  kind: 'bounce',
  hard: true,
  recipient: 'x@example.test',
  messageId: null,
  internetMessageId: null,
  detail: '550 5.1.1',
  ...overrides,
});

describe('applyFeedback', () => {
  it('finds the message by Relance id and suppresses a hard-bounced address', async () => {
    const message = await sentMessage('hard@example.test');
    const result = await applyFeedback(
      db.sql,
      bounce({ recipient: 'hard@example.test', messageId: message.id }),
    );
    expect(result).toEqual({
      message: expect.objectContaining({ id: message.id }) as unknown,
      suppressed: 'hard_bounce',
    });
    expect(await suppressionReasons(db.sql, db.workspaceId, 'hard@example.test')).toEqual([
      'hard_bounce',
    ]);
  });

  it('finds the message by Message-ID and suppresses a complaint', async () => {
    const message = await sentMessage('angry@example.test');
    const result = await applyFeedback(db.sql, {
      kind: 'complaint',
      recipient: 'angry@example.test',
      messageId: 'not-a-uuid',
      internetMessageId: message.internetMessageId,
      detail: null,
    });
    expect(result.message?.id).toBe(message.id);
    expect(await suppressionReasons(db.sql, db.workspaceId, 'angry@example.test')).toEqual([
      'complaint',
    ]);
  });

  it('changes nothing for a soft bounce', async () => {
    const message = await sentMessage('soft@example.test');
    expect(
      await applyFeedback(
        db.sql,
        bounce({ hard: false, recipient: 'soft@example.test', messageId: message.id }),
      ),
    ).toMatchObject({ suppressed: null });
    expect(await suppressionReasons(db.sql, db.workspaceId, 'soft@example.test')).toEqual([]);
  });

  it('suppresses within the webhook workspace when no message matches, and never across workspaces', async () => {
    expect(await applyFeedback(db.sql, bounce({ recipient: 'nomsg@example.test' }))).toEqual({
      message: null,
      suppressed: null,
    });
    expect(
      await applyFeedback(db.sql, bounce({ recipient: 'nomsg@example.test' }), {
        workspaceId: db.workspaceId,
      }),
    ).toEqual({ message: null, suppressed: 'hard_bounce' });

    const other = await insertWorkspace(db.sql, 'feedback-other');
    const message = await sentMessage('mine@example.test');
    const result = await applyFeedback(
      db.sql,
      bounce({ recipient: 'mine@example.test', messageId: message.id }),
      { workspaceId: other },
    );
    expect(result.message).toBeNull();
    expect(await suppressionReasons(db.sql, db.workspaceId, 'mine@example.test')).toEqual([]);
    expect(await suppressionReasons(db.sql, other, 'mine@example.test')).toEqual(['hard_bounce']);
  });
});
