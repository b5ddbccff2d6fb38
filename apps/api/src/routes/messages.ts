import { Hono } from 'hono';
import { z } from 'zod';
import {
  getMessageLogEntry,
  getOutboxMessage,
  listMessageLog,
  type MessageLogEntry,
} from '@relance/email';
import type { AppDeps, AppEnv } from '../env';
import { notFound } from '../errors';
import { validate } from '../validation';

const STATUSES = ['pending', 'sending', 'sent', 'failed', 'skipped'] as const;

// An opaque cursor: the last message's creation time (to the microsecond) and id.
const Cursor = z.string().transform((text, ctx) => {
  const [at, id] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  if (!at || Number.isNaN(Date.parse(at)) || !z.uuid().safeParse(id).success) {
    ctx.addIssue({ code: 'custom', message: 'Use the nextCursor of the previous page' });
    return z.NEVER;
  }
  return { at, id: id! };
});

const ListQuery = z.object({
  contactId: z.uuid('Not a contact id').optional(),
  templateId: z.uuid('Not a template id').optional(),
  status: z.enum(STATUSES, { error: `Choose one of ${STATUSES.join(', ')}` }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: Cursor.optional(),
});
const IdParam = z.object({ id: z.uuid('No message has this id') });

/**
 * What a message was meant to be, for one that never got its own address or subject (skipped
 * before it was written: unsubscribed, suppressed, over the frequency cap): the contact's email
 * now and its template's name and subject as written (placeholders unfilled). Null when gone.
 */
interface Intended {
  contactEmail: string | null;
  template: { name: string; subject: string | null } | null;
}

/** The contacts' emails and templates' names and subjects of a page of messages: two probes. */
async function intendedOf(
  sql: AppDeps['sql'],
  workspaceId: string,
  messages: readonly MessageLogEntry[],
): Promise<(message: MessageLogEntry) => Intended> {
  const contactIds = [...new Set(messages.flatMap((m) => (m.contactId ? [m.contactId] : [])))];
  const templateIds = [...new Set(messages.flatMap((m) => (m.templateId ? [m.templateId] : [])))];
  const [contacts, templates] = await Promise.all([
    contactIds.length === 0
      ? []
      : sql<{ id: string; email: string | null }[]>`
          select id::text, email from contacts
          where workspace_id = ${workspaceId} and id = any(${contactIds}::uuid[])`,
    templateIds.length === 0
      ? []
      : sql<{ id: string; name: string; subject: string | null }[]>`
          select id::text, name, definition->>'subject' as subject from email_templates
          where workspace_id = ${workspaceId} and id = any(${templateIds}::uuid[])`,
  ]);
  const emails = new Map(contacts.map((c) => [c.id, c.email]));
  const names = new Map(templates.map((t) => [t.id, { name: t.name, subject: t.subject }]));
  return (message) => ({
    contactEmail: (message.contactId && emails.get(message.contactId)) ?? null,
    template: (message.templateId && names.get(message.templateId)) || null,
  });
}

function view(message: MessageLogEntry, intended: Intended) {
  return {
    ...intended,
    id: message.id,
    contactId: message.contactId,
    templateId: message.templateId,
    journeyId: message.journeyId,
    kind: message.kind,
    topic: message.topic,
    to: message.toAddress,
    subject: message.subject,
    status: message.status,
    statusReason: message.statusReason,
    provider: message.provider,
    internetMessageId: message.internetMessageId,
    attempts: message.attempts,
    lastError: message.lastError,
    deferredUntil: message.deferredUntil,
    sentAt: message.sentAt,
    createdAt: message.createdAt,
    // What the recipient did with it: the first report of each kind, null until there is one.
    engagement: {
      deliveredAt: message.deliveredAt,
      openedAt: message.openedAt,
      machineOpenedAt: message.machineOpenedAt,
      clickedAt: message.clickedAt,
      unsubscribedAt: message.unsubscribedAt,
      bouncedAt: message.bouncedAt,
      complainedAt: message.complainedAt,
    },
    outboxId: message.outboxId,
  };
}

const cursorOf = (message: { cursorAt: string; id: string }) =>
  Buffer.from(`${message.cursorAt}|${message.id}`).toString('base64url');

/**
 * `/api/messages`: every email recorded for sending (sent, skipped with the reason, deferred,
 * failed), newest first, with the rendered copy for those delivered to the dev outbox.
 */
export const messageRoutes = (deps: AppDeps) =>
  new Hono<AppEnv>()
    .get('/', validate('query', ListQuery), async (c) => {
      const query = c.req.valid('query');
      const rows = await listMessageLog(deps.sql, c.get('workspaceId'), {
        contactId: query.contactId,
        templateId: query.templateId,
        status: query.status,
        before: query.cursor,
        limit: query.limit + 1,
      });
      const page = rows.slice(0, query.limit);
      const more = rows.length > query.limit;
      const intended = await intendedOf(deps.sql, c.get('workspaceId'), page);
      return c.json(
        {
          messages: page.map((m) => view(m, intended(m))),
          nextCursor: more ? cursorOf(page.at(-1)!) : null,
        },
        200,
      );
    })
    .get('/:id', validate('param', IdParam), async (c) => {
      const workspaceId = c.get('workspaceId');
      const message = await getMessageLogEntry(deps.sql, workspaceId, c.req.valid('param').id);
      if (!message) throw notFound('The message');
      const [outbox, intended] = await Promise.all([
        message.outboxId ? getOutboxMessage(deps.sql, workspaceId, message.outboxId) : null,
        intendedOf(deps.sql, workspaceId, [message]),
      ]);
      return c.json(
        {
          ...view(message, intended(message)),
          // Only the dev outbox keeps what was sent; SMTP deliveries are not stored twice.
          rendered: outbox
            ? {
                from: { name: outbox.fromName, address: outbox.fromAddress },
                to: { name: outbox.toName, address: outbox.toAddress },
                replyTo: outbox.replyTo,
                subject: outbox.subject,
                html: outbox.html,
                text: outbox.text,
                headers: outbox.headers,
              }
            : null,
        },
        200,
      );
    });
