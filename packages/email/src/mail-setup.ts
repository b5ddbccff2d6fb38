import type { Sql } from '@relance/db';
import type { MailProvider } from './providers/mail-provider';
import { createOutboxProvider } from './providers/outbox';
import { createSmtpProvider } from './providers/smtp';
import { createRateLimiter, withRateLimit } from './rate-limiter';
import { createTracking, type Tracking } from './tracking';

const DOMAIN = /^([a-z0-9-]+\.)+[a-z]{2,}$/i;

/**
 * The provider a process sends through: pooled SMTP when `smtpUrl` is set, else the dev outbox
 * in Postgres, paced by one rate limiter (messages per second) for the whole process.
 */
export function createMailProvider(options: {
  sql: Sql;
  smtpUrl?: string | undefined;
  ratePerSecond: number;
}): MailProvider {
  const provider = options.smtpUrl
    ? createSmtpProvider({ smtpUrl: options.smtpUrl })
    : createOutboxProvider({ sql: options.sql });
  return withRateLimit(provider, createRateLimiter({ ratePerSecond: options.ratePerSecond }));
}

/**
 * The mailbox `List-Unsubscribe` names next to the URL: `unsubscribe@` the sender's domain, else
 * the public URL's host when it is a domain name (`localhost` or an IP make no valid address).
 */
export function unsubscribeMailboxFor(options: {
  mailFrom?: string | undefined;
  publicUrl: string;
}): string {
  const fromDomain = options.mailFrom?.split('@')[1]?.trim();
  if (fromDomain) return `unsubscribe@${fromDomain.toLowerCase()}`;
  const host = new URL(options.publicUrl).hostname;
  return `unsubscribe@${DOMAIN.test(host) ? host : 'localhost.localdomain'}`;
}

/** Signed links for one deployment, from the settings API and worker both read. */
export function createDeploymentTracking(options: {
  publicUrl: string;
  secret: string;
  mailFrom?: string | undefined;
}): Tracking {
  return createTracking({
    publicUrl: options.publicUrl,
    secret: options.secret,
    unsubscribeMailbox: unsubscribeMailboxFor(options),
  });
}
