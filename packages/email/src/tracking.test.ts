import { describe, expect, it } from 'vitest';
import { signToken } from './signed-token';
import { TEST_SECRET } from './test-fixtures';
import { createTracking, TRACKING_PATHS } from './tracking';

const tracking = createTracking({
  publicUrl: 'https://mail.example.com/',
  secret: TEST_SECRET,
  unsubscribeMailbox: 'unsubscribe@mail.example.com',
});
const UNSUBSCRIBE = { workspaceId: 'w1', contactId: 'c1', messageId: 'm1', topic: 'newsletter' };

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const flip = (char: string) => (char === 'A' ? 'B' : 'A');
// A 32-byte MAC in 43 base64 characters leaves 2 spare bits in the last one: flipping one
// decodes to the same bytes, so only a textual comparison refuses it.
const respell = (last: string) => BASE64URL[BASE64URL.indexOf(last) ^ 1]!;

const tokenOf = (url: string, path: string) => {
  expect(url.startsWith(`https://mail.example.com${path}`)).toBe(true);
  return url.slice(`https://mail.example.com${path}`.length);
};

describe('createTracking', () => {
  it('builds URLs on the public base and verifies them back to their payload', () => {
    const open = tokenOf(tracking.openUrl('m1'), TRACKING_PATHS.open);
    const click = tokenOf(tracking.clickUrl('m1', 'https://shop.test/a?b=1'), TRACKING_PATHS.click);
    const unsubscribe = tokenOf(tracking.unsubscribeUrl(UNSUBSCRIBE), TRACKING_PATHS.unsubscribe);
    const preferences = tokenOf(
      tracking.preferencesUrl({ workspaceId: 'w1', contactId: 'c1' }),
      TRACKING_PATHS.preferences,
    );
    expect(tracking.verifyOpen(open)).toEqual({ messageId: 'm1' });
    expect(tracking.verifyClick(click)).toEqual({
      messageId: 'm1',
      url: 'https://shop.test/a?b=1',
    });
    expect(tracking.verifyUnsubscribe(unsubscribe)).toEqual(UNSUBSCRIBE);
    expect(tracking.verifyPreferences(preferences)).toEqual({ workspaceId: 'w1', contactId: 'c1' });
  });

  it('puts only URL-safe characters in tokens', () => {
    expect(tokenOf(tracking.clickUrl('m1', 'https://x.test/é?q=a b'), '/t/c/')).toMatch(
      /^[\w-]+\.[\w-]+$/,
    );
  });

  it('refuses a token whose destination was swapped (no open redirect)', () => {
    const token = tokenOf(tracking.clickUrl('m1', 'https://shop.test/'), '/t/c/');
    const [, signature] = token.split('.');
    const forged = `${Buffer.from(JSON.stringify({ m: 'm1', u: 'https://evil.test/' })).toString('base64url')}.${signature}`;
    expect(tracking.verifyClick(forged)).toBeNull();
  });

  it.each([
    [
      'a changed signature character',
      (t: string) => t.slice(0, -5) + flip(t.at(-5)!) + t.slice(-4),
    ],
    [
      'a signature spelled with its spare bits set',
      (t: string) => t.slice(0, -1) + respell(t.at(-1)!),
    ],
    ['a truncated signature', (t: string) => t.slice(0, -4)],
    ['no signature', (t: string) => t.split('.')[0]!],
    ['an extra dot', (t: string) => `${t}.x`],
    ['garbage', () => 'not-a-token'],
    ['an empty token', () => ''],
  ])('refuses %s', (_label, damage) => {
    const token = tokenOf(tracking.unsubscribeUrl(UNSUBSCRIBE), '/u/');
    expect(tracking.verifyUnsubscribe(damage(token))).toBeNull();
  });

  it('signs double opt-in confirmations', () => {
    const payload = {
      workspaceId: 'w1',
      contactId: 'c1',
      formId: 'f1',
      topics: ['news', 'offers'],
    };
    const token = tokenOf(tracking.confirmUrl(payload), TRACKING_PATHS.confirm);
    expect(tracking.verifyConfirm(token)).toEqual(payload);
    expect(tracking.verifyPreferences(token)).toBeNull();
  });

  it('refuses a token signed for another purpose', () => {
    const open = tokenOf(tracking.openUrl('m1'), '/t/o/');
    expect(tracking.verifyClick(open)).toBeNull();
    expect(
      tracking.verifyPreferences(tokenOf(tracking.unsubscribeUrl(UNSUBSCRIBE), '/u/')),
    ).toBeNull();
  });

  it('refuses a validly signed click token to a non-http destination', () => {
    const token = signToken(TEST_SECRET, 'click', { m: 'm1', u: 'javascript:alert(1)' });
    expect(tracking.verifyClick(token)).toBeNull();
  });

  it('refuses tokens signed with another secret, and honours retired secrets during rotation', () => {
    const oldSecret = 'an-older-secret-that-is-long-enough-000000';
    const old = createTracking({
      publicUrl: 'https://mail.example.com',
      secret: oldSecret,
      unsubscribeMailbox: 'u@mail.example.com',
    });
    const token = tokenOf(old.openUrl('m1'), '/t/o/');
    expect(tracking.verifyOpen(token)).toBeNull();
    const rotated = createTracking({
      publicUrl: 'https://mail.example.com',
      secret: TEST_SECRET,
      previousSecrets: [oldSecret],
      unsubscribeMailbox: 'u@mail.example.com',
    });
    expect(rotated.verifyOpen(token)).toEqual({ messageId: 'm1' });
  });

  it('writes the unsubscribe token into a mailto subject', () => {
    const mailto = tracking.unsubscribeMailto(UNSUBSCRIBE);
    const match = /^mailto:unsubscribe@mail\.example\.com\?subject=unsubscribe%20([\w.-]+)$/.exec(
      mailto,
    );
    expect(match).not.toBeNull();
    expect(tracking.verifyUnsubscribe(match![1]!)).toEqual(UNSUBSCRIBE);
  });

  it('recognises its own URLs, including under a path prefix', () => {
    const prefixed = createTracking({
      publicUrl: 'https://x.test/mail',
      secret: TEST_SECRET,
      unsubscribeMailbox: 'u@x.test',
    });
    expect(prefixed.openUrl('m')).toMatch(/^https:\/\/x\.test\/mail\/t\/o\//);
    expect(prefixed.isOwnUrl('https://x.test/mail/u/abc')).toBe(true);
    expect(prefixed.isOwnUrl('https://x.test/mailbox')).toBe(false);
  });

  it.each([
    ['a short secret', { secret: 'short' }],
    ['a non-http public URL', { publicUrl: 'ftp://mail.example.com' }],
    ['a bad mailbox', { unsubscribeMailbox: 'nope' }],
  ])('rejects a config with %s', (_label, override) => {
    expect(() =>
      createTracking({
        publicUrl: 'https://m.test',
        secret: TEST_SECRET,
        unsubscribeMailbox: 'u@m.test',
        ...override,
      }),
    ).toThrow();
  });
});
