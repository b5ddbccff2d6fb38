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
  html: string;
  text: string;
  /** Extra headers (List-Unsubscribe, X-Relance-Message, …); never Message-ID. */
  headers: Record<string, string>;
};
