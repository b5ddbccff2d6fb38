import { describe, expect, it } from 'vitest';
import { consentWords, emailEventWords, segmentCause } from './timeline-words';

describe('segmentCause', () => {
  it.each([
    ['ingest', 'after new activity'],
    ['event', 'after new activity'],
    ['tick', 'as time passed'],
    ['reconcile', 'at a scheduled check'],
    ['rule', 'when the rule was saved'],
    ['scoring', 'when the scoring rules were saved'],
    ['timezone', "when the workspace's time zone changed"],
    ['api', 'through the API'],
    ['manual', 'by hand'],
    ['import', 'by an import'],
    ['merge', 'when two contacts were merged'],
    ['form:3f1c', 'by a signup form'],
    ['flow:run-1', 'by a journey'],
    ['partner-sync', 'partner-sync'],
  ])('%s → %s', (cause, text) => {
    expect(segmentCause(cause)).toEqual({ text });
  });

  it('keeps the journey of a journey step, to link to it', () => {
    expect(segmentCause('journey:9b2e:move_to_active')).toEqual({
      text: 'by a journey',
      journeyId: '9b2e',
    });
  });
});

describe('consentWords', () => {
  it.each([
    [
      'email.unsubscribed',
      { topic: 'newsletter', scope: 'topic', source: 'teammate' },
      'Unsubscribed from newsletter, changed by a teammate',
    ],
    [
      'email.unsubscribed',
      { topic: null, scope: 'all', source: 'one_click', messageId: 'm' },
      'Unsubscribed from all marketing email, with the mail app’s unsubscribe button',
    ],
    [
      'email.subscribed',
      { topic: 'beta', scope: 'topic', source: 'preference_page' },
      'Subscribed to beta, on the preference page',
    ],
    [
      'email.preferences_changed',
      { frequency: 'monthly', previous: 'every' },
      'Chose to receive a monthly digest',
    ],
    [
      'email.unsubscribed',
      { topic: 'x', source: 'crm-sync' },
      'Unsubscribed from x (source: crm-sync)',
    ],
  ])('%s %j', (name, properties, text) => {
    expect(consentWords(name, properties)).toBe(text);
  });

  it('leaves other events to the generic line', () => {
    expect(consentWords('email.clicked', { url: 'https://x.test' })).toBeNull();
  });
});

describe('emailEventWords', () => {
  it.each([
    ['email.sent', {}, 'We miss you', 'Was sent “We miss you”'],
    ['email.delivered', {}, 'We miss you', '“We miss you” was delivered'],
    ['email.opened', {}, null, 'Opened an email'],
    [
      'email.clicked',
      { url: 'https://acme.test/offer' },
      'We miss you',
      'Clicked https://acme.test/offer in “We miss you”',
    ],
    [
      'email.bounced',
      { bounceType: 'hard' },
      'We miss you',
      '“We miss you” bounced (the address does not exist: it is suppressed)',
    ],
    ['email.bounced', { bounceType: 'soft' }, null, 'An email bounced (for now)'],
    ['email.complained', {}, 'We miss you', 'Marked “We miss you” as spam'],
  ])('%s %j (%s)', (name, properties, subject, text) => {
    expect(emailEventWords(name, properties, subject)).toBe(text);
  });

  it('leaves other events alone', () => {
    expect(emailEventWords('order.completed', {}, null)).toBeNull();
  });
});
