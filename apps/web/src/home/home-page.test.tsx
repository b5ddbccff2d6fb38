import { expect, it } from 'vitest';
import { MACHINE_OPENS_WHY } from '../components/email-results';
import { renderForTest } from '../lib/render-for-test';
import { workspaceKey } from '../lib/workspace';
import { HomePage } from './home-page';

const totals = {
  sent: 40,
  delivered: 0,
  opened: 30,
  clicked: 4,
  unsubscribed: 1,
  bounced: 0,
  complained: 0,
  failed: 0,
  skipped: {},
  deferred: 0,
  converted: 3,
  orders: 3,
  revenue: 240,
};

const renderHome = (emailTotals: typeof totals & { machineOpened?: number }) =>
  renderForTest(<HomePage />, {
    timezone: 'UTC',
    queries: [
      [
        workspaceKey,
        {
          timezone: 'UTC',
          currency: 'EUR',
          conversionEvent: 'order.completed',
          attributionWindowDays: 5,
        },
      ],
      [
        ['overview', 30],
        {
          timezone: 'UTC',
          days: 30,
          from: '2026-11-01',
          since: '2026-11-01T00:00:00Z',
          contacts: { total: 10, new: 2 },
          journeys: { active: 1, paused: 0, inFlight: 3 },
          email: {
            totals: emailTotals,
            daily: [
              {
                day: '2026-11-01',
                sent: 40,
                opened: 30,
                clicked: 4,
                unsubscribed: 1,
                revenue: 240,
              },
            ],
            journeys: [],
          },
        },
      ],
      [['templates'], { templates: [] }],
      [['templates', 'performance', 30], { templates: {} }],
    ],
  });

it('says the rates are of the emails sent in the period, and the revenue is of those emails', () => {
  const html = renderHome(totals);
  expect(html).toContain('since 1 Nov: 75% of them opened · 10% clicked · 3% unsubscribed');
  expect(html).toContain(
    '3 orders brought by the emails sent since 1 Nov, each placed within 5 days of opening one',
  );
  expect(html).not.toContain('buyer');
});

it('tells under the open rate how many emails only Apple Mail’s privacy protection opened', () => {
  const html = renderHome({ ...totals, machineOpened: 120 });
  expect(html).toContain('since 1 Nov: 75% of them opened');
  expect(html).toContain(
    'Also opened only by Apple Mail’s privacy protection or a security scanner: 120 emails — not counted as opened',
  );
  expect(html).toContain(`title="${MACHINE_OPENS_WHY}"`);
  expect(renderHome({ ...totals, machineOpened: 0 })).not.toContain('Also opened only');
});
