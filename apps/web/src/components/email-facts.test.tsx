import { expect, it } from 'vitest';
import { renderForTest } from '../lib/render-for-test';
import { workspaceKey } from '../lib/workspace';
import {
  EmailFacts,
  EmailSummary,
  MACHINE_OPENS_WHY,
  ofEmails,
  type EmailStats,
} from './email-results';

const stats: EmailStats = {
  sent: 40,
  delivered: 0,
  opened: 30,
  clicked: 4,
  unsubscribed: 1,
  bounced: 2,
  complained: 0,
  failed: 0,
  skipped: {},
  deferred: 0,
  converted: 3,
  orders: 3,
  revenue: 120,
};

it('says each rate is a count of the emails sent: "30 of 40 emails (75%)"', () => {
  expect(ofEmails(30, 40)).toBe('30 of 40 emails (75%)');
  expect(ofEmails(1, 1)).toBe('1 of 1 email (100%)');
  const html = renderForTest(<EmailFacts stats={stats} />, { timezone: 'UTC' });
  expect(html).toContain('data-email-fact="Opened">30 of 40 emails (75%)<');
  expect(html).toContain('data-email-fact="Clicked">4 of 40 emails (10%)<');
  expect(html).toContain('data-email-fact="Brought an order">3 of 40 emails (8%)<');
  expect(html).toContain('data-email-fact="Sent">40<');
  expect(html).toContain('Each number counts emails, each once');
  expect(html).not.toContain('count people');
});

it('tells beside the open rate how many emails only a machine opened, only when there are some', () => {
  const html = renderForTest(<EmailFacts stats={{ ...stats, machineOpened: 120 }} />, {
    timezone: 'UTC',
  });
  expect(html).toContain(
    'Also opened only by Apple Mail’s privacy protection or a security scanner: 120 emails — not counted as opened, since whether someone read them can’t be seen.',
  );
  expect(html).toContain(`title="${MACHINE_OPENS_WHY}"`);
  // The rate stays people's.
  expect(html).toContain('data-email-fact="Opened">30 of 40 emails (75%)<');
  const one = renderForTest(<EmailFacts stats={{ ...stats, machineOpened: 1 }} />, {
    timezone: 'UTC',
  });
  expect(one).toContain('scanner: 1 email — not counted as opened, since whether someone read it');
  for (const none of [{ ...stats, machineOpened: 0 }, stats]) {
    expect(renderForTest(<EmailFacts stats={none} />, { timezone: 'UTC' })).not.toContain(
      'Also opened only',
    );
  }
});

it('adds the machine opens to the open rate’s hover on a journey’s email card', () => {
  const html = renderForTest(<EmailSummary stats={{ ...stats, machineOpened: 12 }} />, {
    timezone: 'UTC',
  });
  expect(html).toContain(
    'title="30 of 40 emails (75%) were opened; not counted: 12 emails opened only by Apple Mail’s privacy protection or a security scanner"',
  );
  expect(renderForTest(<EmailSummary stats={stats} />, { timezone: 'UTC' })).toContain(
    'title="30 of 40 emails (75%) were opened"',
  );
});

it('says how an order counts in the words of the workspace’s order event, not its name', () => {
  const html = renderForTest(<EmailFacts stats={stats} />, {
    timezone: 'UTC',
    queries: [
      [
        workspaceKey,
        {
          timezone: 'UTC',
          currency: 'EUR',
          conversionEvent: 'checkout_done',
          attributionWindowDays: 1,
        },
      ],
    ],
  });
  expect(html).toContain(
    'When a contact places an order, the order counts for the last email they clicked (else the last they opened themselves, not a mail privacy proxy) in the 1 day before it, once per order number (what an order is and the window: <a href="/settings">Settings</a>); an order in another currency than EUR counts',
  );
  expect(html).not.toContain('checkout_done');
  expect(html).not.toContain('orderId');
});
