import { createTransport } from 'nodemailer';
import type { OutgoingMessage } from '../message';
import type { MailProvider } from './mail-provider';
import { parseSmtpUrl } from './smtp-url';

export type SmtpProviderConfig = {
  /** `smtp://user:pass@host:587` or `smtps://user:pass@host:465`; see parseSmtpUrl. */
  smtpUrl: string;
  /** Name reported by the provider (and used to key its rate limit); defaults to `smtp`. */
  name?: string;
};

/** Delivers through an SMTP server over a pool of kept-alive connections. */
export function createSmtpProvider(config: SmtpProviderConfig): MailProvider {
  const transport = createTransport({
    ...parseSmtpUrl(config.smtpUrl),
    // Messages are built from marketer-written content: never let them read files or fetch URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    name: config.name ?? 'smtp',
    async send(message: OutgoingMessage, options = {}) {
      const info = await transport.sendMail({
        from: message.from,
        to: message.to,
        replyTo: message.replyTo ?? undefined,
        subject: message.subject,
        html: message.html,
        text: message.text,
        messageId: message.internetMessageId,
        headers: message.headers,
        signal: options.signal,
      });
      return {
        providerMessageId: info.messageId,
        accepted: info.accepted.length > 0 && info.rejected.length === 0,
        response: info.response,
      };
    },
    close() {
      transport.close();
      return Promise.resolve();
    },
  };
}
