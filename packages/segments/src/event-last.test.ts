import { describe, expect, it } from 'vitest';
import type { Condition } from '@relance/flow';
import { compileCrossings } from './crossings';
import { rollupLast } from './events';
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
    ['email.clicked', true, 'human_last_at'],
    ['email.opened', true, 'human_last_at'],
    ['email.clicked', false, 'last_at'],
    ['email.clicked', undefined, 'last_at'],
    // Nothing flags other events as a machine's: there is no person-only time of them.
    ['order.completed', true, 'last_at'],
    ['email.bounced', true, 'last_at'],
  ])("%s with humanOnly %s reads the rollup's %s", (event, humanOnly, column) => {
    expect(rollupLast(event, humanOnly)).toBe(column);
    const other = column === 'last_at' ? 'human_last_at' : 'last_at';
    const members = compileMembersQuery(last(event, humanOnly), {
      workspaceId: WORKSPACE,
      now: NOW,
    });
    expect(members.values).toContain(event);
    expect(members.text).toContain('contact_event_rollups r');
    expect(members.text).toContain(`r.${column} > `);
    expect(members.text).not.toContain(`r.${other}`);
    expect(members.text).not.toMatch(/from events\b/);
    const w = crossingWindow();
    const [rollupRows, joined] = compileCrossings(last(event, humanOnly), w);
    expect(rollupRows).toContain('from contact_event_rollups r');
    expect(rollupRows).toContain(`r.${column} > `);
    expect(w.params.values).toContain(event);
    expect(joined).toContain('c.created_at');
  });

  it("counts a contact whose only clicks were a scanner's as never having clicked", () => {
    const members = compileMembersQuery(last('email.clicked', true), {
      workspaceId: WORKSPACE,
      now: NOW,
    });
    expect(members.text).toContain('r.human_last_at is not null');
  });

  it('re-checks the segment when a click arrives, by a person or not', () => {
    expect([...readsOf(last('email.clicked', true)).events]).toEqual(['email.clicked']);
  });
});
