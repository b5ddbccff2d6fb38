import { describe, expect, it } from 'vitest';
import type { Condition } from '@relance/flow';
import { compileCrossings } from './crossings';
import { lastRollupName } from './events';
import { SqlParams } from './params';
import { compileMembersQuery } from './queries';
import { readsOf } from './reads';

const WORKSPACE = '00000000-0000-4000-8000-000000000001';
const NOW = new Date('2025-06-15T12:00:00Z');

const last = (event: string, humanOnly?: boolean): Condition => ({
  kind: 'event_last',
  event,
  op: 'more_than',
  duration: '15d',
  includeNever: true,
  ...(humanOnly === undefined ? {} : { humanOnly }),
});

function crossingWindow() {
  const params = new SqlParams();
  return {
    params,
    workspace: params.uuid(WORKSPACE),
    from: NOW,
    to: new Date(NOW.getTime() + 60_000),
    fromSql: params.timestamp(NOW),
    toSql: params.timestamp(new Date(NOW.getTime() + 60_000)),
  };
}

describe('"last performed" counting a person’s opens and clicks only', () => {
  it.each([
    ['email.clicked', true, '$human:email.clicked'],
    ['email.opened', true, '$human:email.opened'],
    ['email.clicked', false, 'email.clicked'],
    ['email.clicked', undefined, 'email.clicked'],
    // Nothing flags other events as a machine's: there is no person-only rollup of them.
    ['order.completed', true, 'order.completed'],
    ['email.bounced', true, 'email.bounced'],
  ])('%s with humanOnly %s reads the rollup %s', (event, humanOnly, rollup) => {
    expect(lastRollupName(event, humanOnly)).toBe(rollup);
    const members = compileMembersQuery(last(event, humanOnly), {
      workspaceId: WORKSPACE,
      now: NOW,
    });
    expect(members.values).toContain(rollup);
    expect(members.text).toContain('contact_event_rollups r');
    expect(members.text).not.toMatch(/from events\b/);
    const w = crossingWindow();
    const [rollupRows, joined] = compileCrossings(last(event, humanOnly), w);
    expect(rollupRows).toContain('from contact_event_rollups r');
    expect(w.params.values).toContain(rollup);
    expect(joined).toContain('c.created_at');
  });

  it('re-checks the segment when a click arrives, by a person or not', () => {
    expect([...readsOf(last('email.clicked', true)).events]).toEqual(['email.clicked']);
  });
});
