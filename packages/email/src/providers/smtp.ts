import { createTransport } from 'nodemailer';
import type { OutgoingMessage } from '../message';
import { asciiAddress, composeMime } from '../mime';
import type { MailProvider } from './mail-provider';
import { parseSmtpUrl } from './smtp-url';

export type SmtpProviderConfig = {
  /** `smtp://user:pass@host:587` or `smtps://user:pass@host:465`; see parseSmtpUrl. */
  smtpUrl: string;
  /** Name reported by the provider (and used to key its rate limit); defaults to `smtp`. */
  name?: string;
};

/**
 * Delivers through an SMTP server over a pool of kept-alive connections. The message text is
 * composed by `composeMime` (much cheaper than nodemailer's MailComposer); nodemailer speaks SMTP:
 * pooling, the envelope, dot-stuffing.
 */
export function createSmtpProvider(config: SmtpProviderConfig): MailProvider {
  const transport = createTransport({
    ...parseSmtpUrl(config.smtpUrl),
    // Irrelevant for a raw message, kept in case a message ever goes through MailComposer again:
    // marketer-written content must never read files or fetch URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    name: config.name ?? 'smtp',
    async send(message: OutgoingMessage, options = {}) {
      const info = await transport.sendMail({
        envelope: {
          from: asciiAddress(message.from.address),
          to: [asciiAddress(message.to.address)],
        },
        raw: composeMime(message),
        signal: options.signal,
      });
      return {
        providerMessageId: message.internetMessageId,
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
