import { describe, expect, it } from 'vitest';
import {
  maskEmail,
  renderNoticePage,
  renderPreferencesPage,
  renderUnsubscribePage,
} from './hosted-pages';
import { unsubscribeMailboxFor } from './mail-setup';

describe('maskEmail', () => {
  it.each([
    ['ada@example.com', 'a••@example.com'],
    ['a@example.com', 'a•@example.com'],
    ['averyverylongname@example.com', 'a••••••@example.com'],
    [null, 'your address'],
  ])('%s → %s', (email, masked) => {
    expect(maskEmail(email)).toBe(masked);
  });
});

describe('hosted pages', () => {
  it('escape everything that comes from the workspace or the contact', () => {
    const page = renderUnsubscribePage({
      email: 'x@example.com',
      topicName: '<script>alert(1)</script>',
      actionUrl: 'https://mail.test/u/a"b',
      preferencesUrl: 'https://mail.test/p/t',
    });
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('&lt;script&gt;');
    expect(page).toContain('action="https://mail.test/u/a&quot;b"');
  });

  it('are made for phones and kept out of search engines', () => {
    const page = renderNoticePage({ title: 'Done', message: 'All good' });
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page).toContain('<meta name="robots" content="noindex">');
  });

  it('show each topic and frequency as the contact stands, and both forms post back', () => {
    const page = renderPreferencesPage({
      actionUrl: 'https://mail.test/p/t',
      saved: false,
      state: {
        email: 'ada@example.com',
        frequency: 'important',
        unsubscribedFromAll: false,
        suppressedFor: [],
        topics: [
          {
            key: 'news',
            name: 'News',
            description: '',
            important: false,
            subscribed: true,
            pending: false,
          },
          {
            key: 'deals',
            name: 'Deals',
            description: 'Offers',
            important: false,
            subscribed: false,
            pending: true,
          },
        ],
      },
    });
    expect(page).toContain('value="news" checked');
    expect(page).toMatch(/value="deals">/);
    expect(page).toContain('Waiting for you to confirm your address.');
    expect(page).toContain('value="important" checked');
    expect(page.match(/<form method="post" action="https:\/\/mail.test\/p\/t">/g)).toHaveLength(2);
    expect(page).toContain('name="unsubscribe_all"');
  });
});

describe('unsubscribeMailboxFor', () => {
  it.each([
    [{ mailFrom: 'News@Acme.test', publicUrl: 'http://localhost:3000' }, 'unsubscribe@acme.test'],
    [{ publicUrl: 'https://mail.acme.test' }, 'unsubscribe@mail.acme.test'],
    [{ publicUrl: 'http://localhost:3000' }, 'unsubscribe@localhost.localdomain'],
    [{ publicUrl: 'http://127.0.0.1:3000' }, 'unsubscribe@localhost.localdomain'],
  ])('%j → %s', (options, mailbox) => {
    expect(unsubscribeMailboxFor(options)).toBe(mailbox);
  });
});
