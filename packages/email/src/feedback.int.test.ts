import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db';
import { applyFeedback } from './apply-feedback';
import type { MailFeedback } from './feedback';
import { claimMessageForSend, markMessageSent, recordMessageBeforeSend } from './store/messages';
import { prepareSend } from './prepare-send';
import { suppressionReasons, unsuppressAddress } from './store/suppressions';
import { insertContact, insertWorkspace } from './test-db-helpers';

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
  it('suppresses a contact whose domain is internationalised, though the report names the punycode address we sent to', async () => {
    const contactId = await insertContact(db.sql, db.workspaceId, { email: 'josé@exämple.test' });
    await insertContact(db.sql, db.workspaceId, { email: 'ana@exämple.test' });
    const message = await sentMessage('ana@xn--exmple-cua.test');
    await applyFeedback(
      db.sql,
      bounce({ recipient: 'ana@xn--exmple-cua.test', messageId: message.id }),
    );
    await applyFeedback(
      db.sql,
      {
        kind: 'complaint',
        recipient: 'josé@xn--exmple-cua.test',
        messageId: null,
        internetMessageId: null,
        detail: null,
      },
      { workspaceId: db.workspaceId },
    );
    expect(await suppressionReasons(db.sql, db.workspaceId, 'ana@exämple.test')).toEqual([
      'hard_bounce',
    ]);
    const { decision } = await prepareSend(db.sql, {
      workspaceId: db.workspaceId,
      contactId,
      kind: 'marketing',
      topic: 'newsletter',
      now: new Date(),
    });
    expect(decision).toMatchObject({ kind: 'skip', reason: 'suppressed_complaint' });
    // Either form of the address names the same suppression.
    expect(await suppressionReasons(db.sql, db.workspaceId, 'JOSÉ@xn--exmple-cua.test')).toEqual([
      'complaint',
    ]);
    expect(
      await unsuppressAddress(db.sql, db.workspaceId, 'josé@xn--exmple-cua.test', 'complaint'),
    ).toBe(true);
    // A contact stored with the punycode domain: the bounce is stored in the Unicode form, which
    // its sends compare its address in.
    const punycodeId = await insertContact(db.sql, db.workspaceId, {
      email: 'li@xn--exmple-cua.test',
    });
    await applyFeedback(db.sql, bounce({ recipient: 'LI@exämple.test' }), {
      workspaceId: db.workspaceId,
    });
    const punycodeSend = await prepareSend(db.sql, {
      workspaceId: db.workspaceId,
      contactId: punycodeId,
      kind: 'marketing',
      topic: 'newsletter',
      now: new Date(),
    });
    expect(punycodeSend.decision).toMatchObject({ kind: 'skip', reason: 'suppressed_hard_bounce' });
  });

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
