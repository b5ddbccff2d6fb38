import { describe, expect, it } from 'vitest';
import type { Condition } from '@relance/flow';
import { compileCrossings } from './crossings';
import { compileCountQuery } from './queries';
import { SqlParams } from './params';
import { readsOf } from './reads';

const opened: Condition = {
  kind: 'email',
  action: 'opened',
  op: 'at_least',
  count: 2,
  within: '30d',
};

describe('a click counts as an open', () => {
  it('re-checks "opened" segments when a click arrives', () => {
    expect([...readsOf(opened).events].sort()).toEqual(['email.clicked', 'email.opened']);
  });

  it('lets the tick find the clicks leaving an "opened" window', () => {
    const params = new SqlParams();
    const w = {
      params,
      workspace: params.uuid('00000000-0000-4000-8000-000000000001'),
      from: new Date('2025-06-15T12:00:00Z'),
      to: new Date('2025-06-15T12:01:00Z'),
      fromSql: params.timestamp(new Date('2025-06-15T12:00:00Z')),
      toSql: params.timestamp(new Date('2025-06-15T12:01:00Z')),
    };
    expect(compileCrossings(opened, w)).toHaveLength(2);
    expect(params.values).toContain('email.clicked');
  });

  it('finds the crossings of opens by a person from the same index rows, without reading events', () => {
    const params = new SqlParams();
    const at = (iso: string) => ({ date: new Date(iso), sql: params.timestamp(new Date(iso)) });
    const [from, to] = [at('2025-06-15T12:00:00Z'), at('2025-06-15T12:01:00Z')];
    const w = {
      params,
      workspace: params.uuid('00000000-0000-4000-8000-000000000001'),
      from: from.date,
      to: to.date,
      fromSql: from.sql,
      toSql: to.sql,
    };
    const crossings = compileCrossings({ ...opened, humanOnly: true }, w);
    expect(crossings).toHaveLength(2);
    for (const sql of crossings) expect(sql).not.toContain('properties');
  });
});

describe('whether a person opened or clicked at all', () => {
  const options = { workspaceId: '00000000-0000-4000-8000-000000000001', now: new Date() };
  const none: Condition = {
    kind: 'email',
    action: 'clicked',
    op: 'exactly',
    count: 0,
    within: '15d',
    humanOnly: true,
  };

  it("reads the rollups' person-only last time over the whole base, not the events", () => {
    const q = compileCountQuery(none, options);
    expect(q.text).not.toMatch(/\bevents\b/);
    expect(q.values).toContain('email.clicked');
    expect(q.text).toMatch(/r\.human_last_at > /);
  });

  it("asks for a person's event at all, ever, by the person-only last time being set", () => {
    const q = compileCountQuery({ ...none, within: undefined }, options);
    expect(q.text).not.toMatch(/\bevents\b/);
    expect(q.text).toContain('r.human_last_at is not null');
  });

  it('reads events where a count, a template or a filter needs them', () => {
    for (const leaf of [
      { ...none, count: 2 },
      { ...none, templateId: 't1' },
    ]) {
      expect(compileCountQuery(leaf, options).text).toMatch(/\bevents\b/);
    }
  });
});
