// The overview's tables of emails by journey and of the emails that went out most say, as the
// template report does, how many emails only a machine opened: a mark on the open rate (the
// row's count on hover) and the report's sentence under the table.
import { expect, it } from 'vitest';
import { renderForTest } from '../lib/render-for-test';
import { workspaceKey } from '../lib/workspace';
import { HomePage } from './home-page';

const numbers = {
  sent: 40,
  delivered: 0,
  opened: 30,
  machineOpened: 0,
  clicked: 4,
  unsubscribed: 1,
  bounced: 0,
  complained: 0,
  failed: 0,
  deferred: 0,
  converted: 0,
  orders: 0,
  revenue: 0,
};

function renderHome(machine: { welcome: number; winBack: number }) {
  return renderForTest(<HomePage />, {
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
          journeys: { active: 2, paused: 0, inFlight: 3 },
          email: {
            // The tile's own line is tested in home-page.test.tsx.
            totals: { ...numbers, sent: 80, opened: 45, skipped: {} },
            daily: [
              { day: '2026-11-01', sent: 80, opened: 45, clicked: 8, unsubscribed: 2, revenue: 0 },
            ],
            journeys: [
              {
                ...numbers,
                journeyId: 'j1',
                name: 'Welcome',
                machineOpened: machine.welcome,
                skipped: 0,
              },
              {
                ...numbers,
                journeyId: 'j2',
                name: 'Win-back',
                opened: 15,
                machineOpened: machine.winBack,
                skipped: 0,
              },
            ],
          },
        },
      ],
      [
        ['templates'],
        {
          templates: [
            { id: 't1', name: 'Welcome email' },
            { id: 't2', name: 'Win-back offer' },
          ],
        },
      ],
      [
        ['templates', 'performance', 30],
        {
          templates: {
            t1: { ...numbers, machineOpened: machine.welcome, skipped: {} },
            t2: { ...numbers, opened: 15, machineOpened: machine.winBack, skipped: {} },
          },
        },
      ],
    ],
  });
}

const NOTE = (n: number) =>
  `* Also opened only by Apple Mail’s privacy protection or a security scanner: ${n} emails — not counted as opened, since whether someone read them can’t be seen.`;

it('marks the open rates a machine lowered in both tables and says how many emails under each', () => {
  const html = renderHome({ welcome: 3, winBack: 9 });
  // Each table: its rows' rates stay people's, marked, with the row's count on hover.
  for (const table of html.split('<table').slice(1)) {
    expect(table).toContain(
      'title="30 of 40 emails (75%) were opened; not counted: 3 emails opened only by Apple Mail’s privacy protection or a security scanner">75%<sup',
    );
    expect(table).toContain(
      'title="15 of 40 emails (38%) were opened; not counted: 9 emails opened only by Apple Mail’s privacy protection or a security scanner">38%<sup',
    );
  }
  // Under each table, the total of its rows, in the report's words.
  expect(html.split(NOTE(12))).toHaveLength(3);
});

it('leaves the rates unmarked and says nothing when no machine opened an email alone', () => {
  const html = renderHome({ welcome: 0, winBack: 0 });
  expect(html).toContain('title="30 of 40 emails (75%) were opened">75%</span>');
  expect(html).not.toContain('<sup');
  expect(html).not.toContain('Also opened only');
});
