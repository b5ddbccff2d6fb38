import { randomUUID } from 'node:crypto';
import type { Sql } from '@relance/db';
import { buildMessage, TEST_LINK_CONTACT_ID } from './build-message';
import { deliverMessage, type DeliveryOutcome } from './deliver-message';
import type { OutgoingMessage } from './message';
import { liquidContact, prepareSend, type ContactForSend } from './prepare-send';
import type { MailProvider } from './providers/mail-provider';
import { loadSendContext } from './send-context';
import type { SendDecision } from './send-policy';
import { recordMessageBeforeSend } from './store/messages';
import { normaliseEmail, suppressionReasons, type SuppressionReason } from './store/suppressions';
import { EMPTY_SUBJECT_MESSAGE, type Template } from './template';
import { TemplateError, type TemplateIssue } from './template-issue';
import type { TemplateCache } from './template-cache';
import type { Tracking } from './tracking';

/** The message id preview links carry: it matches no message, so they record nothing. */
export const PREVIEW_MESSAGE_ID = 'preview';

export type PreviewDeps = { sql: Sql; tracking: Tracking; templates: TemplateCache };

/** A template rendered for one contact, and what the send policy would decide right now. */
export type TemplatePreview = {
  message: OutgoingMessage;
  decision: SendDecision;
  /** What this contact's email would get wrong without failing to render (an empty subject). */
  warnings: TemplateIssue[];
};

/** The problem of a message whose subject rendered empty, which is never sent. */
export function emptySubjectIssues(message: Pick<OutgoingMessage, 'subject'>): TemplateIssue[] {
  return message.subject.trim() === ''
    ? [{ field: 'subject', message: EMPTY_SUBJECT_MESSAGE }]
    : [];
}

/**
 * Renders a template exactly as a contact would get it — Liquid with their properties and
 * segments, tracking links, List-Unsubscribe headers — without recording or sending anything.
 * Its unsubscribe and preference links name no contact (TEST_LINK_CONTACT_ID): clicked from the
 * preview, they change nothing. Null when the contact does not exist; throws TemplateError when
 * the template does not render with this contact's data.
 */
export async function previewTemplate(
  deps: PreviewDeps,
  input: {
    workspaceId: string;
    template: Template;
    contactId: string;
    eventId?: string | null;
    now: Date;
  },
): Promise<TemplatePreview | null> {
  const { decision, contact } = await prepareSend(deps.sql, {
    workspaceId: input.workspaceId,
    contactId: input.contactId,
    kind: input.template.kind,
    topic: input.template.topic,
    now: input.now,
  });
  if (!contact) return null;
  const message = await render(deps, {
    workspaceId: input.workspaceId,
    template: input.template,
    contact,
    address: contact.email ?? '',
    eventId: input.eventId ?? null,
    messageId: PREVIEW_MESSAGE_ID,
    idempotencyKey: `preview:${contact.id}`,
  });
  return { message, decision, warnings: emptySubjectIssues(message) };
}

/** How a test send ended: delivered (or refused) by the provider, or not tried. */
export type TestSendOutcome =
  DeliveryOutcome | { kind: 'suppressed'; reasons: SuppressionReason[] };

/**
 * Sends a template to any address, marked `[Test]`, rendered as `contactId` would get it (or
 * with an empty contact) after the event `eventId`, if given. Recorded without a contact, so it counts towards no frequency cap and
 * appears on no timeline. Consent and caps are not applied; an address that bounced or
 * complained is still never mailed. Its unsubscribe and preference links (headers and Liquid)
 * name no contact: the test recipient cannot unsubscribe the contact it was rendered as.
 * Throws TemplateError, recording nothing, when the template does not render with this data or
 * its subject renders empty (a real send would fail, and "[Test]" would hide the empty subject).
 */
export async function sendTestMessage(
  deps: PreviewDeps & { provider: MailProvider },
  input: {
    workspaceId: string;
    templateId: string;
    template: Template;
    to: string;
    contactId?: string | null;
    /** The triggering event `event.*` is read from, as in a journey's send; none when null. */
    eventId?: string | null;
  },
): Promise<TestSendOutcome> {
  const to = normaliseEmail(input.to);
  const reasons = (await suppressionReasons(deps.sql, input.workspaceId, to)).filter(
    (reason) => reason === 'hard_bounce' || reason === 'complaint',
  );
  if (reasons.length > 0) return { kind: 'suppressed', reasons };
  const idempotencyKey = `test:${randomUUID()}`;
  const contact = input.contactId
    ? (
        await prepareSend(deps.sql, {
          workspaceId: input.workspaceId,
          contactId: input.contactId,
          kind: input.template.kind,
          topic: input.template.topic,
          now: new Date(),
        })
      ).contact
    : null;
  const renderAs = (messageId: string) =>
    render(deps, {
      workspaceId: input.workspaceId,
      template: input.template,
      contact,
      address: to,
      eventId: input.eventId ?? null,
      messageId,
      idempotencyKey,
    });
  // Rendered once before anything is recorded: a template that fails leaves no pending message.
  const trial = await renderAs(PREVIEW_MESSAGE_ID);
  const empty = emptySubjectIssues(trial);
  if (empty.length > 0) throw new TemplateError(empty);
  const { message: record } = await recordMessageBeforeSend(deps.sql, {
    workspaceId: input.workspaceId,
    idempotencyKey,
    contactId: null,
    templateId: input.templateId,
    kind: input.template.kind,
    topic: input.template.topic,
    toAddress: to,
  });
  const message = await renderAs(record.id);
  const outgoing = { ...message, subject: `[Test] ${message.subject}` };
  return deliverMessage({ sql: deps.sql, provider: deps.provider }, outgoing);
}

async function render(
  deps: PreviewDeps,
  input: {
    workspaceId: string;
    template: Template;
    /** Null renders with an empty contact that has only the address. */
    contact: ContactForSend | null;
    address: string;
    eventId: string | null;
    messageId: string;
    idempotencyKey: string;
  },
): Promise<OutgoingMessage> {
  const [compiled, context] = await Promise.all([
    deps.templates.get(input.template),
    loadSendContext(deps.sql, {
      workspaceId: input.workspaceId,
      contactId: input.contact?.id ?? null,
      eventId: input.eventId,
    }),
  ]);
  return buildMessage({
    template: compiled,
    contact: input.contact
      ? liquidContact({ ...input.contact, email: input.address }, { segments: context.segments })
      : { id: TEST_LINK_CONTACT_ID, email: input.address },
    event: context.event,
    workspace: context.workspace,
    messageId: input.messageId,
    idempotencyKey: input.idempotencyKey,
    tracking: deps.tracking,
    // Whoever reads a preview or gets a test is not the contact: their links must not act on it.
    test: true,
  });
}
