import type { SMTPPoolOptions } from 'nodemailer/lib/smtp-pool';

const BOOLEAN_PARAMS = ['requireTLS', 'ignoreTLS', 'tls.rejectUnauthorized'] as const;
const NUMBER_PARAMS = ['maxConnections', 'maxMessages'] as const;

/**
 * Reads `smtp://user:pass@host:587` (plain, upgraded with STARTTLS when offered) or
 * `smtps://user:pass@host:465` (TLS from the first byte). Query parameters: `requireTLS`,
 * `ignoreTLS`, `tls.rejectUnauthorized` (true/false), `maxConnections`, `maxMessages`.
 * Errors name the problem and never repeat the password.
 */
export function parseSmtpUrl(smtpUrl: string): SMTPPoolOptions & { pool: true } {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    throw new Error('SMTP URL is not a URL: expected smtp://user:pass@host:587 or smtps://…');
  }
  const secure = url.protocol === 'smtps:';
  if (!secure && url.protocol !== 'smtp:') {
    throw new Error(`SMTP URL must start with smtp:// or smtps://, not ${url.protocol}//`);
  }
  if (!url.hostname) throw new Error('SMTP URL has no host');
  const options: SMTPPoolOptions & { pool: true } = {
    pool: true,
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    maxConnections: 5,
    maxMessages: 1000,
  };
  if (url.username || url.password) {
    options.auth = {
      user: decodeURIComponent(url.username),
      pass: decodeURIComponent(url.password),
    };
  }
  for (const [key, value] of url.searchParams) {
    if ((BOOLEAN_PARAMS as readonly string[]).includes(key)) {
      if (value !== 'true' && value !== 'false') {
        throw new Error(`SMTP URL parameter ${key} must be true or false`);
      }
      if (key === 'tls.rejectUnauthorized') options.tls = { rejectUnauthorized: value === 'true' };
      else options[key as 'requireTLS' | 'ignoreTLS'] = value === 'true';
    } else if ((NUMBER_PARAMS as readonly string[]).includes(key)) {
      const number = Number(value);
      if (!Number.isInteger(number) || number < 1) {
        throw new Error(`SMTP URL parameter ${key} must be a positive whole number`);
      }
      options[key as (typeof NUMBER_PARAMS)[number]] = number;
    } else {
      throw new Error(
        `SMTP URL parameter ${key} is not supported (use ${[...BOOLEAN_PARAMS, ...NUMBER_PARAMS].join(', ')})`,
      );
    }
  }
  return options;
}
