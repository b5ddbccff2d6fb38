import { PassThrough, pipeline } from 'node:stream';
import { createTransport } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import type { OutgoingMessage } from '../message';
import { asciiAddress, composeMime } from '../mime';
import { HandedOverError } from '../send-error';
import type { MailProvider } from './mail-provider';
import { parseSmtpUrl } from './smtp-url';

export type SmtpProviderConfig = {
  /** `smtp://user:pass@host:587` or `smtps://user:pass@host:465`; see parseSmtpUrl. */
  smtpUrl: string;
  /** Name reported by the provider (and used to key its rate limit); defaults to `smtp`. */
  name?: string;
};

// Whether nodemailer read a send's message to its end: it reads it only once the server has
// answered DATA, into the connection, so from then on the server may take it at any moment.
type Handover = { written: boolean };
const HANDOVER = 'relanceHandover';
type SendOptions = Mail.Options & { [HANDOVER]: Handover };

/**
 * Delivers through an SMTP server over a pool of kept-alive connections. The message text is
 * composed by `composeMime` (much cheaper than nodemailer's MailComposer); nodemailer speaks SMTP:
 * pooling, the envelope, dot-stuffing. A send that fails after its whole message went out without
 * an answer from the server (lost connection, timeout, cancellation) throws HandedOverError.
 */
export function createSmtpProvider(config: SmtpProviderConfig): MailProvider {
  const transport = createTransport({
    ...parseSmtpUrl(config.smtpUrl),
    // Irrelevant for a raw message, kept in case a message ever goes through MailComposer again:
    // marketer-written content must never read files or fetch URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  transport.use('stream', (mail, done) => {
    const handover = (mail.data as Partial<SendOptions>)[HANDOVER];
    if (handover) {
      // The last stage of the message: its end is the last byte nodemailer hands the connection.
      mail.message.processFunc((input) => {
        const output = new PassThrough();
        output.once('end', () => (handover.written = true));
        return pipeline(input, output, () => {});
      });
    }
    done();
  });
  return {
    name: config.name ?? 'smtp',
    async send(message: OutgoingMessage, options = {}) {
      const handover: Handover = { written: false };
      const mail: SendOptions = {
        envelope: {
          from: asciiAddress(message.from.address),
          to: [asciiAddress(message.to.address)],
        },
        raw: composeMime(message),
        signal: options.signal,
        [HANDOVER]: handover,
      };
      let info;
      try {
        info = await transport.sendMail(mail);
      } catch (error) {
        // The server's reply to the message (a 4xx or 5xx) says it did not take it; without
        // one, it may have.
        if (handover.written && !hasReply(error)) throw new HandedOverError(error);
        throw error;
      }
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

function hasReply(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'responseCode' in error &&
    typeof error.responseCode === 'number'
  );
}
