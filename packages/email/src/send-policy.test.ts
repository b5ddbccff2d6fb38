import { describe, expect, it } from 'vitest';
import { decideSend, type SendFacts } from './send-policy';

const DAY = 86_400_000;
const NOW = new Date('2025-03-12T10:00:00Z'); // 11:00 in Paris

function facts(overrides: Partial<SendFacts> = {}): SendFacts {
  return {
    kind: 'marketing',
    topic: 'newsletter',
    address: 'ana@example.test',
    suppressions: [],
    consent: null,
    topicRules: { optIn: false, important: false },
    frequency: 'every',
    recentMarketingSends: [],
    cappedSends: [],
    frequencyCap: null,
    quietHours: null,
    timeZone: 'Europe/Paris',
    now: NOW,
    ...overrides,
  };
}

const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);

describe('decideSend', () => {
  it('sends marketing email to a consenting, unsuppressed contact', () => {
    expect(decideSend(facts())).toEqual({ kind: 'send' });
  });

  it.each<[string, Partial<SendFacts>, string]>([
    ['no address', { address: null }, 'no_address'],
    ['an unsubscribed address', { suppressions: ['unsubscribed'] }, 'suppressed_unsubscribed'],
    ['a hard-bounced address', { suppressions: ['hard_bounce'] }, 'suppressed_hard_bounce'],
    ['a complaint', { suppressions: ['unsubscribed', 'complaint'] }, 'suppressed_complaint'],
    ['a manual block', { suppressions: ['manual'] }, 'suppressed_manual'],
    ['a topic opt-out', { consent: 'unsubscribed' }, 'topic_unsubscribed'],
    ['a topic that does not exist', { topicRules: null }, 'topic_unknown'],
    [
      'a topic that does not exist, even with a consent row under its name',
      { topicRules: null, consent: 'subscribed' },
      'topic_unknown',
    ],
    ['an unconfirmed double opt-in', { consent: 'pending' }, 'topic_pending_confirmation'],
    [
      'an opt-in topic never subscribed to',
      { topicRules: { optIn: true, important: false } },
      'topic_not_subscribed',
    ],
    ['"important only" and an ordinary topic', { frequency: 'important' }, 'frequency_preference'],
    [
      '"monthly" and a send 10 days ago',
      { frequency: 'monthly', recentMarketingSends: [daysAgo(10)] },
      'frequency_preference',
    ],
  ])('skips marketing email for %s', (_label, overrides, reason) => {
    expect(decideSend(facts(overrides))).toEqual({ kind: 'skip', reason });
  });

  it.each<[string, Partial<SendFacts>]>([
    [
      'an opt-out topic without an answer',
      { consent: null, topicRules: { optIn: false, important: false } },
    ],
    [
      'an opt-in topic subscribed to',
      { consent: 'subscribed', topicRules: { optIn: true, important: false } },
    ],
    [
      '"important only" and an important topic',
      { frequency: 'important', topicRules: { optIn: false, important: true } },
    ],
    [
      '"monthly" and the last send 31 days ago',
      { frequency: 'monthly', recentMarketingSends: [daysAgo(31)] },
    ],
  ])('sends marketing email for %s', (_label, overrides) => {
    expect(decideSend(facts(overrides))).toEqual({ kind: 'send' });
  });

  it.each<[string, Partial<SendFacts>, string]>([
    ['an unsubscribed address', { suppressions: ['unsubscribed'] }, 'send'],
    ['a topic opt-out', { consent: 'unsubscribed' }, 'send'],
    [
      'a full cap in quiet hours',
      {
        frequencyCap: { count: 1, perMs: DAY },
        cappedSends: [daysAgo(0.1)],
        quietHours: { start: '00:00', end: '23:59' },
      },
      'send',
    ],
    ['a hard-bounced address', { suppressions: ['hard_bounce'] }, 'skip'],
    ['a complaint', { suppressions: ['complaint'] }, 'skip'],
  ])('transactional email with %s: %s', (_label, overrides, kind) => {
    expect(decideSend(facts({ kind: 'transactional', topic: null, ...overrides })).kind).toBe(kind);
  });

  it('sends transactional email under a topic that does not exist (a receipt asks no consent)', () => {
    expect(decideSend(facts({ kind: 'transactional', topicRules: null }))).toEqual({
      kind: 'send',
    });
  });

  describe('deferral', () => {
    it.each<[string, Partial<SendFacts>, string | null, string | null]>([
      [
        'under the cap',
        { frequencyCap: { count: 3, perMs: 7 * DAY }, cappedSends: [daysAgo(1), daysAgo(2)] },
        null,
        null,
      ],
      [
        'at the cap: when the oldest counted send leaves the window',
        {
          frequencyCap: { count: 3, perMs: 7 * DAY },
          cappedSends: [daysAgo(8), daysAgo(6), daysAgo(2), daysAgo(1)],
        },
        '2025-03-13T10:00:00.000Z',
        'frequency_cap',
      ],
      [
        'inside quiet hours in the contact zone: at their end',
        { quietHours: { start: '09:00', end: '12:30' } },
        '2025-03-12T11:30:00.000Z',
        'quiet_hours',
      ],
      [
        'quiet hours across midnight, in another zone',
        { quietHours: { start: '22:00', end: '07:00' }, timeZone: 'America/New_York' },
        '2025-03-12T11:00:00.000Z',
        'quiet_hours',
      ],
      ['outside quiet hours', { quietHours: { start: '22:00', end: '07:00' } }, null, null],
      [
        'the cap frees up inside quiet hours: at the end of those',
        {
          frequencyCap: { count: 1, perMs: DAY },
          cappedSends: [new Date('2025-03-11T21:30:00Z')], // frees at 22:30 Paris, inside 22:00–07:00
          quietHours: { start: '22:00', end: '07:00' },
        },
        '2025-03-13T06:00:00.000Z',
        'frequency_cap',
      ],
      [
        'an unknown zone counts as UTC',
        { quietHours: { start: '09:30', end: '10:30' }, timeZone: 'Mars/Olympus' },
        '2025-03-12T10:30:00.000Z',
        'quiet_hours',
      ],
    ])('%s', (_label, overrides, until, reason) => {
      const decision = decideSend(facts(overrides));
      if (until === null) expect(decision).toEqual({ kind: 'send' });
      else expect(decision).toEqual({ kind: 'defer', until: new Date(until), reason });
    });

    it('never defers into the past and lands outside quiet hours under the cap', () => {
      const sends = [daysAgo(0.5), daysAgo(0.4), daysAgo(0.3)];
      const decision = decideSend(
        facts({
          frequencyCap: { count: 2, perMs: DAY },
          cappedSends: sends,
          quietHours: { start: '20:00', end: '08:00' },
        }),
      );
      expect(decision.kind).toBe('defer');
      if (decision.kind !== 'defer') return;
      expect(decision.until.getTime()).toBeGreaterThan(NOW.getTime());
      expect(
        decideSend(
          facts({
            now: decision.until,
            frequencyCap: { count: 2, perMs: DAY },
            cappedSends: sends,
            quietHours: { start: '20:00', end: '08:00' },
          }),
        ),
      ).toEqual({ kind: 'send' });
    });
  });
});
