import { describe, expect, it } from 'vitest';
import { envelopeWords } from './outbox-page';

// A row of the outbox says who an email was for and what it was, a skipped one too.

const sent = { contactId: 'c1', templateId: 't1' };

describe('an outbox row’s recipient and subject', () => {
  it.each([
    [
      'a sent email: its own',
      { ...sent, to: 'ada@x.test', subject: 'Thanks, Ada', contactEmail: 'new@x.test' },
      { to: 'ada@x.test', subject: 'Thanks, Ada', template: null },
    ],
    [
      'a skipped email: the contact’s and the template’s',
      {
        ...sent,
        to: null,
        subject: null,
        contactEmail: 'ada@x.test',
        template: { name: 'Thank you', subject: 'Thanks, {{ first_name }}' },
      },
      {
        to: 'ada@x.test',
        subject: 'Thanks, {{ first_name }}',
        template: 'From the template “Thank you”',
      },
    ],
    [
      'a skipped email of a contact and template deleted since',
      { ...sent, to: null, subject: null, contactId: null, contactEmail: null, template: null },
      { to: 'a deleted contact', subject: 'from a deleted template', template: null },
    ],
    [
      'a skipped email of a contact without an email',
      {
        ...sent,
        to: null,
        subject: null,
        contactEmail: null,
        template: { name: 'News', subject: '' },
      },
      {
        to: 'a contact without an email',
        subject: 'without a subject',
        template: 'From the template “News”',
      },
    ],
  ])('%s', (_, message, words) => {
    expect(envelopeWords(message)).toEqual(words);
  });
});
