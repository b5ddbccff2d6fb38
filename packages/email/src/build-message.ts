import type { CompiledTemplate, RenderContext } from './compile-template';
import { internetMessageId, listUnsubscribeHeaders } from './headers';
import {
  appendOpenPixel,
  normaliseLinkUrl,
  rewriteHtmlLinks,
  rewriteTextLinks,
} from './link-rewrite';
import type { OutgoingMessage } from './message';
import { EMPTY_SUBJECT_MESSAGE } from './template';
import { TemplateError } from './template-issue';
import type { ConfirmPayload, Tracking, UnsubscribePayload } from './tracking';

export { redirectTarget } from './link-rewrite';

/** The contact a message goes to; every field is visible to Liquid as `contact.*`. */
export type MessageContact = { id: string; email: string } & Record<string, unknown>;
/**
 * The contact id that test sends and previews sign their unsubscribe and preference links with:
 * it names no contact, so those links change nothing and say they came from a test.
 */
export const TEST_LINK_CONTACT_ID = 'test';

/** True for a link of a test send or a preview (see TEST_LINK_CONTACT_ID). */
export const isTestLink = (payload: { contactId: string }): boolean =>
  payload.contactId === TEST_LINK_CONTACT_ID;

/** The sending workspace; every field is visible to Liquid as `workspace.*`. */
export type MessageWorkspace = { id: string } & Record<string, unknown>;

export type BuildMessageInput = {
  /** From `compileTemplate` or a `TemplateCache`. */
  template: CompiledTemplate;
  contact: MessageContact;
  /** The triggering event (`event.*` in Liquid), if any. */
  event?: Record<string, unknown> | null;
  workspace: MessageWorkspace;
  /** Relance's id of this message, recorded before sending. */
  messageId: string;
  /** The key the send was recorded under; the Message-ID header is derived from it. */
  idempotencyKey: string;
  tracking: Tracking;
  /** For a double opt-in confirmation email: what `{{ confirm_url }}` confirms. */
  confirmation?: ConfirmPayload | null;
  /**
   * A test send or preview rendered as a real contact: its unsubscribe and preference links
   * name TEST_LINK_CONTACT_ID instead, since whoever gets it is not that contact.
   */
  test?: boolean;
};

/**
 * Renders a template for one contact into a provider-independent message. Marketing email gets
 * click redirects, the open pixel and RFC 8058 one-click List-Unsubscribe headers; transactional
 * email (receipts, confirmations) keeps its links untouched and carries no list headers.
 */
export async function buildMessage(input: BuildMessageInput): Promise<OutgoingMessage> {
  const { template: compiled, contact, workspace, messageId, tracking } = input;
  const { template } = compiled;
  const linkContactId = input.test ? TEST_LINK_CONTACT_ID : contact.id;
  const unsubscribe: UnsubscribePayload = {
    workspaceId: workspace.id,
    contactId: linkContactId,
    messageId,
    topic: template.topic,
  };
  const links: RenderContext['links'] = {
    unsubscribe: tracking.unsubscribeUrl(unsubscribe),
    preferences: tracking.preferencesUrl({ workspaceId: workspace.id, contactId: linkContactId }),
    ...(input.confirmation && { confirm: tracking.confirmUrl(input.confirmation) }),
  };
  const content = await compiled.render({ contact, event: input.event ?? null, workspace, links });
  // Clients show "(no subject)" and spam filters penalise it: this contact's message fails, with
  // the reason, rather than going out bare. Previews and test sends say so themselves.
  if (content.subject.trim() === '' && !input.test) {
    throw new TemplateError([{ field: 'subject', message: EMPTY_SUBJECT_MESSAGE }]);
  }

  let { html, text } = content;
  const headers: Record<string, string> = { 'X-Relance-Message': messageId };
  switch (template.kind) {
    case 'marketing': {
      // Signed as a browser would request it, so the redirect is a valid Location header.
      const track = (url: string) =>
        tracking.isOwnUrl(url) ? null : tracking.clickUrl(messageId, normaliseLinkUrl(url));
      html = appendOpenPixel(rewriteHtmlLinks(html, track), tracking.openUrl(messageId));
      text = rewriteTextLinks(text, track);
      Object.assign(
        headers,
        listUnsubscribeHeaders(links.unsubscribe, tracking.unsubscribeMailto(unsubscribe)),
      );
      break;
    }
    case 'transactional':
      break;
    default:
      template.kind satisfies never;
  }

  return {
    messageId,
    workspaceId: workspace.id,
    internetMessageId: internetMessageId(workspace.id, input.idempotencyKey, template.from.address),
    from: template.from,
    to: { name: typeof contact.name === 'string' ? contact.name : '', address: contact.email },
    replyTo: template.replyTo,
    subject: content.subject,
    preheader: content.preheader,
    html,
    text,
    headers,
  };
}
