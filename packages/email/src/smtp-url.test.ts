import { describe, expect, it } from 'vitest';
import { parseSmtpUrl } from './providers/smtp-url';

describe('parseSmtpUrl', () => {
  it.each([
    [
      'smtp://user:p%40ss@mail.test:2525',
      { host: 'mail.test', port: 2525, secure: false, auth: { user: 'user', pass: 'p@ss' } },
    ],
    ['smtp://mail.test', { host: 'mail.test', port: 587, secure: false }],
    [
      'smtps://u:p@mail.test',
      { host: 'mail.test', port: 465, secure: true, auth: { user: 'u', pass: 'p' } },
    ],
    ['smtp://[::1]:25', { host: '::1', port: 25, secure: false }],
    [
      'smtp://mail.test?requireTLS=true&tls.rejectUnauthorized=false&maxConnections=2',
      { requireTLS: true, tls: { rejectUnauthorized: false }, maxConnections: 2 },
    ],
  ])('reads %s', (url, expected) => {
    expect(parseSmtpUrl(url)).toMatchObject({ pool: true, ...expected });
  });

  it('pools by default', () => {
    expect(parseSmtpUrl('smtp://mail.test')).toMatchObject({ pool: true, maxConnections: 5 });
  });

  it.each([
    ['not a url', /not a URL/],
    ['http://mail.test', /must start with smtp:\/\/ or smtps:\/\//],
    ['smtp://mail.test?pool=false', /parameter pool is not supported/],
    ['smtp://mail.test?requireTLS=yes', /requireTLS must be true or false/],
    ['smtp://mail.test?maxConnections=0', /maxConnections must be a positive whole number/],
  ])('refuses %s with a clear message', (url, message) => {
    expect(() => parseSmtpUrl(url)).toThrow(message);
  });

  it('never repeats the password in an error', () => {
    expect(() => parseSmtpUrl('smtp://u:hunter2@mail.test?bogus=1')).toThrow(
      expect.objectContaining({
        message: expect.not.stringContaining('hunter2') as string,
      }) as Error,
    );
  });
});
