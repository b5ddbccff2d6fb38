import type { Mailbox } from './template';

/** A fully rendered email, independent of the provider that will deliver it. */
export type OutgoingMessage = {
  /** Relance's id for this message (the messages row); carried in tracking links. */
  messageId: string;
  workspaceId: string;
  /** The `Message-ID` header value, `<…@sending-domain>`, stable across retries. */
  internetMessageId: string;
  from: Mailbox;
  to: Mailbox;
  replyTo: Mailbox | null;
  subject: string;
  /**
   * The preheader as rendered for this contact: the line an inbox shows after the subject. The
   * HTML already carries it, hidden, as its first element; kept here for the editor's preview.
   */
  preheader?: string;
  html: string;
  text: string;
  /** Extra headers (List-Unsubscribe, X-Relance-Message, …); never Message-ID. */
  headers: Record<string, string>;
};
