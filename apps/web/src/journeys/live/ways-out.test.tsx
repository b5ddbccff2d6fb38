import { describe, expect, it } from 'vitest';
import { renderForTest } from '../../lib/render-for-test';
import { WaysOut } from './live-node-panel';

// A post-purchase flow's If/else "has not placed an order since they entered": the live view
// says how many entries took each path, not only how many went through the step.

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

const stats = (ports?: Record<string, number>) => ({
  entered: 5,
  waiting: 0,
  completed: 4,
  failed: 1,
  ...(ports ? { ports } : {}),
});

const ifElse = {
  kind: 'logic.condition',
  config: { condition: { kind: 'all', conditions: [{ kind: 'tag', op: 'has', tag: 'vip' }] } },
};
const switchStep = {
  kind: 'logic.switch',
  config: {
    cases: [
      { id: 'case_vip', label: 'VIP', condition: { kind: 'all', conditions: [] } },
      { id: 'case_new', label: 'New', condition: { kind: 'all', conditions: [] } },
    ],
  },
};

describe('the paths a live step’s entries took', () => {
  it.each([
    [ifElse, { yes: 3, no: 1 }, 'Paths taken, all versions Yes 3 (75%) No 1 (25%)'],
    [ifElse, {}, 'Paths taken, all versions Yes 0 No 0'],
    [
      switchStep,
      { case_vip: 1, else: 2, case_old: 1 },
      'Paths taken, all versions VIP 1 (25%) New 0 (0%) Otherwise 2 (50%) case_old (since removed) 1 (25%)',
    ],
  ])('%#: %j', (node, ports, words) => {
    const html = renderForTest(<WaysOut node={node} stats={stats(ports)} />, { timezone: 'UTC' });
    expect(text(html)).toBe(words);
  });

  it('name the workspace’s order event in words, as the step does', () => {
    const wait = { kind: 'wait.event', config: { event: 'order.completed', timeout: '7d' } };
    const html = renderForTest(
      <WaysOut
        node={wait}
        stats={stats({ event: 2 })}
        context={{ orderEvent: 'order.completed' }}
      />,
      { timezone: 'UTC' },
    );
    expect(text(html)).toBe('Paths taken, all versions Placed an order 2 (100%) Timed out 0 (0%)');
  });

  it('are not listed for a step with one way out', () => {
    const node = { kind: 'action.send_email', config: { templateId: 't' } };
    expect(renderForTest(<WaysOut node={node} stats={stats({})} />, { timezone: 'UTC' })).toBe('');
  });

  it('say so when the server does not count them', () => {
    const html = renderForTest(<WaysOut node={ifElse} stats={stats()} />, { timezone: 'UTC' });
    expect(text(html)).toContain('cannot count the paths taken yet');
  });
});
