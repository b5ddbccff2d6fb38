import type { OutgoingMessage } from '../message';

/** What a provider says about one send. */
export type SendResult = {
  /** The provider's id for the message (for SMTP, the Message-ID the server accepted). */
  providerMessageId: string;
  /** False when the provider took the message but refused the recipient. */
  accepted: boolean;
  /** The provider's own words, e.g. `250 2.0.0 Ok: queued as 4B7F`. */
  response: string;
};

/** Delivers rendered messages; SMTP and the dev outbox implement it. */
export type MailProvider = {
  readonly name: string;
  /** Sends one message; a cancelled `signal` abandons it if it has not been handed over yet. */
  send(message: OutgoingMessage, options?: { signal?: AbortSignal }): Promise<SendResult>;
  /** Releases connections; in-flight sends finish first. */
  close(): Promise<void>;
};
