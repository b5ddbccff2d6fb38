// The message log tells an email only a machine opened (Apple Mail Privacy Protection's fetch on
// arrival, a security scanner) from one a person opened, and never calls it "Opened".
import { expect, it } from 'vitest';
import { MACHINE_OPEN_WHY, MACHINE_OPEN_WORDS } from '../components/email-results';
import { onePage, renderForTest } from '../lib/render-for-test';
import { engagementWords, OutboxPage } from './outbox-page';

type Engagement = Parameters<typeof engagementWords>[0];
const none: Required<{ [K in keyof Engagement]: string | null }> = {
  deliveredAt: null,
  openedAt: null,
  machineOpenedAt: null,
  clickedAt: null,
  unsubscribedAt: null,
  bouncedAt: null,
  complainedAt: null,
};
const at = '2026-11-20T10:00:00Z';

it.each([
  [{ deliveredAt: at, machineOpenedAt: at }, MACHINE_OPEN_WORDS],
  [{ machineOpenedAt: at, unsubscribedAt: at }, `${MACHINE_OPEN_WORDS} · Unsubscribed`],
  // A person's open or click wins: the machine's fetch says nothing more.
  [{ machineOpenedAt: at, openedAt: at }, 'Opened'],
  [{ machineOpenedAt: at, openedAt: at, clickedAt: at }, 'Clicked'],
  [{ machineOpenedAt: at, bouncedAt: at }, `Bounced · ${MACHINE_OPEN_WORDS}`],
])('%o reads “%s”', (given, words) => {
  expect(engagementWords({ ...none, ...given })).toBe(words);
});

it('says so in the list, with why on hover, and not as opened', () => {
  const message = (id: string, to: string, engagement: Partial<typeof none>) => ({
    id,
    to,
    subject: 'Our news',
    status: 'sent',
    statusReason: null,
    lastError: null,
    deferredUntil: null,
    createdAt: at,
    engagement: { ...none, deliveredAt: at, ...engagement },
  });
  const html = renderForTest(<OutboxPage />, {
    timezone: 'UTC',
    path: '/templates/outbox',
    queries: [
      [
        ['messages', 'log', null],
        onePage({
          messages: [
            message('m1', 'ada@example.com', { machineOpenedAt: at }),
            message('m2', 'bob@example.com', { openedAt: at }),
          ],
          nextCursor: null,
        }),
      ],
    ],
  });
  const row = (to: string) => html.slice(html.indexOf(to), html.indexOf('</tr>', html.indexOf(to)));
  expect(row('ada@example.com')).toContain(
    `title="${MACHINE_OPEN_WHY}">Not seen opened: only Apple Mail’s privacy protection or a security scanner opened it</span>`,
  );
  expect(row('ada@example.com')).not.toMatch(/>Opened</);
  expect(row('bob@example.com')).toContain('<span>Opened</span>');
});
