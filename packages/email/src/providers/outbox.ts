import type { Sql } from '@relance/db';
import { insertOutboxMessage } from '../store/outbox';
import type { MailProvider } from './mail-provider';

/**
 * The development provider, used when no SMTP server is configured: "delivers" each message
 * into the `email_outbox` table, where the app lists it. Never contacts a mail server.
 */
export function createOutboxProvider(deps: { sql: Sql }): MailProvider {
  return {
    name: 'outbox',
    async send(message, options = {}) {
      options.signal?.throwIfAborted();
      const id = await insertOutboxMessage(deps.sql, message);
      return {
        providerMessageId: message.internetMessageId,
        accepted: true,
        response: `stored as outbox #${id}`,
      };
    },
    // The pool belongs to whoever created `sql`.
    close: () => Promise.resolve(),
  };
}
