// The templates list says, as each template's report does, how many emails only a machine
// (Apple Mail Privacy Protection, a scanner) opened: a mark on the open rate with the template's
// count on hover, and the report's sentence under the list.
import { expect, it } from 'vitest';
import { MACHINE_OPENS_WHY } from '../components/email-results';
import { renderForTest } from '../lib/render-for-test';
import { TemplateListPage } from './list-page';

const numbers = {
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
  converted: 0,
  orders: 0,
  revenue: 0,
};
const template = (id: string, name: string) => ({
  id,
  name,
  subject: `${name}!`,
  kind: 'marketing',
  topic: 'offers',
  updatedAt: '2026-11-20T10:00:00Z',
});

const renderList = (performance: Record<string, typeof numbers & { machineOpened?: number }>) =>
  renderForTest(<TemplateListPage />, {
    timezone: 'UTC',
    path: '/templates',
    queries: [
      [
        ['templates'],
        {
          templates: [
            template('t1', 'Newsletter'),
            template('t2', 'Win-back'),
            template('t3', 'Receipt'),
          ],
        },
      ],
      [['templates', 'performance', 30], { templates: performance }],
    ],
  });

it('marks a template’s open rate a machine lowered and says under the list how many emails', () => {
  const html = renderList({
    t1: { ...numbers, machineOpened: 120 },
    t2: { ...numbers, opened: 10, machineOpened: 1 },
    t3: numbers,
  });
  expect(html).toContain(
    'title="30 of 40 emails (75%) were opened; not counted: 120 emails opened only by Apple Mail’s privacy protection or a security scanner">75%<sup',
  );
  expect(html).toContain(
    'title="10 of 40 emails (25%) were opened; not counted: 1 email opened only by Apple Mail’s privacy protection or a security scanner">25%<sup',
  );
  expect(html).toContain('title="30 of 40 emails (75%) were opened">75%</span>');
  expect(html).toContain(
    '* Also opened only by Apple Mail’s privacy protection or a security scanner: 121 emails — not counted as opened, since whether someone read them can’t be seen.',
  );
  expect(html).toContain(`title="${MACHINE_OPENS_WHY}"`);
});

it('says nothing of machines when none opened an email alone, or numbers predate them', () => {
  const html = renderList({ t1: { ...numbers, machineOpened: 0 }, t2: numbers });
  expect(html).not.toContain('Also opened only');
  expect(html).not.toContain('<sup');
  // A template that sent nothing has no rate to explain.
  expect(html).toMatch(/data-email-stat="opened">–<\/span>/);
});
