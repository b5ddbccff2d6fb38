import type { Sql } from '@relance/db';
import { buildMessage } from './build-message';
import { deliverMessage } from './deliver-message';
import {
  liquidContact,
  prepareSend,
  type PrepareSendInput,
  type SendFactsReader,
} from './prepare-send';
import type { MailProvider } from './providers/mail-provider';
import type { SendErrorClass } from './send-error';
import type { DeferReason } from './send-policy';
import {
  failPendingMessage,
  getMessage,
  type MessageWrites,
  markMessageDeferred,
  markMessageSkipped,
  recordMessageBeforeSend,
  type EmailMessageRecord,
} from './store/messages';
import { getEmailTemplate } from './store/templates';
import type { Template } from './template';
import type { StoredTemplateCache } from './stored-template-cache';
import type { TemplateCache } from './template-cache';
import { TemplateError } from './template-issue';
import type { ConfirmPayload, Tracking } from './tracking';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What sending a saved template to a contact needs; one of each per process. */
export type SendTemplateDeps = {
  sql: Sql;
  provider: MailProvider;
  tracking: Tracking;
  templates: TemplateCache;
  /** Saved templates read at most once per few seconds; without it, read for every send. */
  storedTemplates?: StoredTemplateCache | undefined;
  /** Group-commits the claim and the "sent" mark (createMessageWrites); else one statement each. */
  writes?: MessageWrites | undefined;
  /** Reads the policy facts of sends in flight together (createSendFactsReader); else one each. */
  facts?: SendFactsReader | undefined;
};

export type SendTemplateInput = {
  workspaceId: string;
  contactId: string;
  templateId: string;
  /** Unique per workspace and stable across retries and deferrals (e.g. the run step's key). */
  idempotencyKey: string;
  journeyId?: string | null;
  /** The journey step sending it, and the version it is in (kept on the message). */
  nodeId?: string | null;
  versionId?: string | null;
  /** Sends under this topic instead of the template's (a flow step may choose one). */
  topic?: string | null;
  /** The triggering event (`event.*` in Liquid). */
  eventId?: string | null;
  frequencyCap?: PrepareSendInput['frequencyCap'];
  quietHours?: PrepareSendInput['quietHours'];
  /** For a double opt-in email: what its `{{ confirm_url }}` confirms. */
  confirmation?: ConfirmPayload | null;
  now: Date;
  signal?: AbortSignal | undefined;
};

/**
 * How a send ended:
 * - `sent`: the provider has it. `now` is false when an earlier attempt under the same key sent
 *   it, or handed it over and never reported back (never sent a second time).
 * - `skipped`: never sent, and never will be under this key (`reason` from the send policy).
 * - `deferred`: quiet hours or the frequency cap; call again with the same key at `until`.
 * - `retry`: a temporary or throttling failure; the message is pending, retry with backoff.
 * - `failed`: refused for good or unrenderable; `message` is null when the template is missing.
 */
export type SendTemplateOutcome =
  | { kind: 'sent'; message: EmailMessageRecord; now: boolean }
  | { kind: 'skipped'; message: EmailMessageRecord; reason: string }
  | { kind: 'deferred'; message: EmailMessageRecord; until: Date; reason: DeferReason }
  | { kind: 'retry'; message: EmailMessageRecord; error: SendErrorClass }
  | { kind: 'failed'; message: EmailMessageRecord | null; reason: string };

/**
 * Sends a saved template to a contact at most once per idempotency key: records the message,
 * applies the send policy (suppression, consent, preferences, cap, quiet hours), renders it
 * with the contact, the triggering event, the workspace and the contact's segments, and
 * delivers it. A call under a key that already finished reports how it finished.
 */
export async function sendTemplate(
  deps: SendTemplateDeps,
  input: SendTemplateInput,
): Promise<SendTemplateOutcome> {
  const { sql } = deps;
  const stored = !UUID.test(input.templateId)
    ? null
    : deps.storedTemplates
      ? await deps.storedTemplates.get(sql, input.workspaceId, input.templateId)
      : await getEmailTemplate(sql, input.workspaceId, input.templateId);
  if (!stored) {
    return {
      kind: 'failed',
      message: null,
      reason: `No email template ${input.templateId} in this workspace`,
    };
  }
  const template = withTopic(stored.template, input.topic);
  const { message } = await recordMessageBeforeSend(
    sql,
    {
      workspaceId: input.workspaceId,
      idempotencyKey: input.idempotencyKey,
      contactId: input.contactId,
      templateId: stored.id,
      journeyId: input.journeyId ?? null,
      nodeId: input.nodeId ?? null,
      versionId: input.versionId ?? null,
      kind: template.kind,
      topic: template.topic,
      toAddress: null,
    },
    deps.writes,
  );
  const earlier = settledOutcome(message);
  if (earlier) return earlier;

  // The context is read with the decision: most sends go ahead and need it.
  const { decision, contact, context } = await prepareSend(
    sql,
    {
      workspaceId: input.workspaceId,
      contactId: input.contactId,
      kind: template.kind,
      topic: template.topic,
      frequencyCap: input.frequencyCap ?? null,
      quietHours: input.quietHours ?? null,
      eventId: input.eventId ?? null,
      messageId: message.id,
      now: input.now,
    },
    deps.facts,
  );
  switch (decision.kind) {
    case 'skip': {
      const skipped = await markMessageSkipped(sql, message.id, decision.reason);
      return skipped
        ? { kind: 'skipped', message: skipped, reason: decision.reason }
        : reread(sql, message.id);
    }
    case 'defer': {
      const deferred = await markMessageDeferred(sql, message.id, decision.until, decision.reason);
      return deferred
        ? { kind: 'deferred', message: deferred, until: decision.until, reason: decision.reason }
        : reread(sql, message.id);
    }
    case 'send':
      break;
    default:
      return decision satisfies never;
  }
  // prepareSend only says `send` for a contact it found, with an address.
  const recipient = { ...contact!, email: contact!.email! };

  let outgoing;
  try {
    outgoing = await buildMessage({
      template: await deps.templates.get(template),
      contact: liquidContact(recipient, { segments: context!.segments }),
      event: context!.event,
      workspace: context!.workspace,
      messageId: message.id,
      idempotencyKey: input.idempotencyKey,
      tracking: deps.tracking,
      confirmation: input.confirmation ?? null,
    });
  } catch (error) {
    // Checked at save time, so only a template saved before a check existed gets here: retrying
    // renders the same failure, so it is recorded as final.
    if (!(error instanceof TemplateError)) throw error;
    const reason = `The template does not render: ${error.message}`;
    const failed = await failPendingMessage(sql, message.id, reason);
    return failed ? { kind: 'failed', message: failed, reason } : reread(sql, message.id);
  }

  const delivery = await deliverMessage(
    { sql, provider: deps.provider, writes: deps.writes },
    outgoing,
    {
      ...(input.signal ? { signal: input.signal } : {}),
    },
  );
  switch (delivery.kind) {
    case 'sent':
      return { kind: 'sent', message: delivery.message, now: true };
    case 'already-sent':
    case 'in-flight':
      return { kind: 'sent', message: delivery.message, now: false };
    case 'finished':
      return settledOutcome(delivery.message) ?? reread(sql, message.id);
    case 'retry':
      return { kind: 'retry', message: delivery.message, error: delivery.error };
    case 'failed':
      return { kind: 'failed', message: delivery.message, reason: delivery.error.message };
    default:
      return delivery satisfies never;
  }
}

function withTopic(template: Template, topic: string | null | undefined): Template {
  return topic && topic !== template.topic ? { ...template, topic } : template;
}

/** The outcome of a message an earlier attempt finished (or handed over); null while pending. */
function settledOutcome(message: EmailMessageRecord): SendTemplateOutcome | null {
  switch (message.status) {
    case 'pending':
      return null;
    // `sending`: handed to the provider by an attempt that never reported back. It may have
    // gone out, so it counts as sent rather than risk a second copy.
    case 'sending':
    case 'sent':
      return { kind: 'sent', message, now: false };
    case 'skipped':
      return { kind: 'skipped', message, reason: message.statusReason ?? 'skipped' };
    case 'failed':
      return { kind: 'failed', message, reason: message.statusReason ?? 'failed' };
    default:
      return message.status satisfies never;
  }
}

// Another attempt moved the message on between our read and our write: report what it did.
async function reread(sql: Sql, id: string): Promise<SendTemplateOutcome> {
  const message = await getMessage(sql, id);
  if (!message) throw new Error(`Email message ${id} disappeared while being sent`);
  const outcome = settledOutcome(message);
  if (!outcome) throw new Error(`Email message ${id} is pending again after a concurrent attempt`);
  return outcome;
}
