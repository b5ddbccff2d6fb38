import { describe, expect, it } from 'vitest';
import { heldWords, messageFateWords, reasonWords } from './email-reasons';

const clock = (iso: string) => `[${iso}]`;

describe('reasonWords', () => {
  it.each([
    ['no_address', 'no email address'],
    ['suppressed_unsubscribed', 'unsubscribed from all marketing email'],
    ['suppressed_hard_bounce', 'the address bounced before'],
    ['suppressed_complaint', 'marked an email as spam'],
    ['suppressed_manual', 'the address is blocked by hand'],
    ['topic_unknown', 'its topic does not exist (misspelt or deleted): choose an existing topic'],
    ['topic_unsubscribed', 'unsubscribed from the topic'],
    ['topic_pending_confirmation', 'has not confirmed the topic subscription yet'],
    ['topic_not_subscribed', 'never subscribed to the topic'],
    ['frequency_preference', 'asked for fewer emails'],
    ['quiet_hours', 'quiet hours'],
    ['frequency_cap', 'the frequency cap'],
  ])('%s reads “%s”', (reason, words) => {
    expect(reasonWords(reason)).toBe(words);
  });

  it('leaves a mail server’s refusal as it is, and a name like toString alone', () => {
    expect(reasonWords('550 mailbox unavailable')).toBe('550 mailbox unavailable');
    expect(reasonWords('toString')).toBe('toString');
  });
});

describe('heldWords', () => {
  it('says until when, and why', () => {
    expect(heldWords('quiet_hours', '2025-11-03T21:00:00Z', clock)).toBe(
      'held until [2025-11-03T21:00:00Z] for quiet hours',
    );
    expect(heldWords('frequency_cap', null, clock)).toBe('held for the frequency cap');
  });
});

describe('messageFateWords', () => {
  it.each([
    [{ status: 'sent', statusReason: null, deferredUntil: null }, 'Sent', null],
    [{ status: 'sending', statusReason: null, deferredUntil: null }, 'Sending', null],
    [{ status: 'pending', statusReason: null, deferredUntil: null }, 'Waiting to send', null],
    [
      { status: 'pending', statusReason: 'quiet_hours', deferredUntil: '2025-11-03T21:00:00Z' },
      'Held',
      'held until [2025-11-03T21:00:00Z] for quiet hours',
    ],
    [
      { status: 'skipped', statusReason: 'topic_not_subscribed', deferredUntil: null },
      'Not sent',
      'never subscribed to the topic',
    ],
    [
      { status: 'failed', statusReason: '550 mailbox unavailable', deferredUntil: null },
      'Failed',
      '550 mailbox unavailable',
    ],
  ] as const)('%j reads %s (%s)', (message, label, detail) => {
    expect(messageFateWords(message, clock)).toEqual({ label, detail });
  });
});
