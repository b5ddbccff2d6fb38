import { describe, expect, it } from 'vitest';
import {
  maskEmail,
  renderNoticePage,
  renderPreferencesPage,
  renderUnsubscribedPage,
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
      sender: 'Acme <b>',
      actionUrl: 'https://mail.test/u/a"b',
      preferencesUrl: 'https://mail.test/p/t',
      language: 'en',
    });
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('&lt;script&gt;');
    expect(page).toContain('from Acme &lt;b&gt;');
    expect(page).toContain('action="https://mail.test/u/a&quot;b"');
  });

  it('are made for phones and kept out of search engines', () => {
    const page = renderNoticePage({ title: 'Done', message: 'All good' });
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page).toContain('<meta name="robots" content="noindex">');
  });

  it('show each topic and frequency as the contact stands, and both forms post back', () => {
    const page = renderPreferencesPage({
      sender: 'Acme',
      actionUrl: 'https://mail.test/p/t',
      saved: false,
      language: 'en',
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

describe('what the unsubscribe and preference pages promise', () => {
  const STILL_SENT = 'Transactional emails, such as receipts and account messages, still come.';
  const state = {
    email: 'ada@example.com',
    frequency: 'every' as const,
    suppressedFor: [],
    topics: [],
  };

  it('name the sender and stop all marketing emails, not every email', () => {
    const pages = [
      renderUnsubscribePage({
        email: 'ada@example.com',
        topicName: null,
        sender: 'Acme Café',
        actionUrl: 'https://mail.test/u/t',
        preferencesUrl: 'https://mail.test/p/t',
        language: 'en',
      }),
      renderUnsubscribedPage({
        email: 'ada@example.com',
        topicName: null,
        sender: 'Acme Café',
        preferencesUrl: 'https://mail.test/p/t',
        language: 'en',
      }),
      renderPreferencesPage({
        state: { ...state, unsubscribedFromAll: true },
        sender: 'Acme Café',
        actionUrl: 'https://mail.test/p/t',
        saved: false,
        language: 'en',
      }),
    ];
    expect(pages[0]).toContain('<h1>Stop receiving marketing emails from Acme Café?</h1>');
    expect(pages[0]).toContain('Unsubscribe from all marketing emails</button>');
    expect(pages[1]).toContain(
      'a••@example.com will not receive any more marketing emails from Acme Café.',
    );
    expect(pages[2]).toContain('is unsubscribed from all marketing emails from Acme Café.');
    expect(pages[2]).toContain('Unsubscribe from all marketing emails</button>');
    for (const page of pages) {
      expect(page).toContain(STILL_SENT);
      expect(page).not.toMatch(/all emails|our emails|from us/);
    }
  });

  it('name the sender of a topic', () => {
    const page = renderUnsubscribePage({
      email: 'ada@example.com',
      topicName: 'Newsletter',
      sender: 'Acme',
      actionUrl: 'https://mail.test/u/t',
      preferencesUrl: 'https://mail.test/p/t',
      language: 'en',
    });
    expect(page).toContain('<h1>Stop receiving “Newsletter” emails from Acme?</h1>');
    const choose = renderPreferencesPage({
      state: { ...state, unsubscribedFromAll: false },
      sender: 'Acme',
      actionUrl: 'https://mail.test/p/t',
      saved: false,
      language: 'en',
    });
    expect(choose).toContain('Choose what a••@example.com receives from Acme.');
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
