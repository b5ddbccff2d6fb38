import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Condition } from '@relance/flow';
import {
  compileEvaluateQuery,
  compileMembersQuery,
  compilePreviewQuery,
  SegmentRuleError,
} from '@relance/segments';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { RULE_CASES, STATIC } from './rule-cases';
import { loadRuleFixture, NOW } from './rule-fixture';

let db: TestDatabase;
let fixture: Awaited<ReturnType<typeof loadRuleFixture>>;

beforeAll(async () => {
  db = await createTestDatabase();
  fixture = await loadRuleFixture(db.sql, db.workspaceId);
});
afterAll(async () => {
  await db?.drop();
});

const withStatic = (rule: Condition): Condition =>
  JSON.parse(JSON.stringify(rule).replaceAll(STATIC, fixture.staticSegmentId)) as Condition;

describe('rule compiler against PostgreSQL', () => {
  it('has at least 60 cases', () => {
    expect(RULE_CASES.length).toBeGreaterThanOrEqual(60);
  });

  it.each(RULE_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const query = compileMembersQuery(withStatic(c.rule), {
      workspaceId: db.workspaceId,
      now: c.now ? new Date(c.now) : NOW,
    });
    const rows = await db.sql.unsafe<{ id: string }[]>(query.text, query.values);
    const keys = rows.map((r) => fixture.keyOf.get(r.id) ?? `unknown:${r.id}`).sort();
    expect(keys).toEqual([...c.expected].sort());
    // Re-checking a few contacts (per-row probes instead of joins) gives the same answer.
    const probe = compileMembersQuery(withStatic(c.rule), {
      workspaceId: db.workspaceId,
      now: c.now ? new Date(c.now) : NOW,
      contactIds: [...fixture.ids.values()],
    });
    const probed = await db.sql.unsafe<{ id: string }[]>(probe.text, probe.values);
    expect(probed.map((r) => fixture.keyOf.get(r.id)).sort()).toEqual(keys);
    // One contact at a time (a flow's condition, a wait's check) gives the same answer too.
    const evaluated: string[] = [];
    for (const [key, contactId] of fixture.ids) {
      const one = compileEvaluateQuery(withStatic(c.rule), {
        workspaceId: db.workspaceId,
        contactId,
        now: c.now ? new Date(c.now) : NOW,
      });
      const [row] = await db.sql.unsafe<{ matched: boolean }[]>(one.text, one.values);
      if (row!.matched) evaluated.push(key);
    }
    expect(evaluated.sort()).toEqual(keys);
    // Every value a marketer typed is a parameter: the statement text never contains it.
    for (const value of query.values) {
      if (typeof value === 'string' && value.length > 3 && /['"%;]/.test(value)) {
        expect(query.text).not.toContain(value);
      }
    }
  });

  it('reads each aggregate or count of the whole base once, from one grouped pass over the events', () => {
    const sum = (op: string, value: number) =>
      ({
        kind: 'event_aggregate',
        event: 'order.completed',
        property: 'amount',
        fn: 'sum',
        op,
        value,
      }) as Condition;
    const orders = (op: string, count: number) =>
      ({ kind: 'event_count', event: 'order.completed', op, count, within: '30d' }) as Condition;
    const rule: Condition = {
      kind: 'all',
      conditions: [sum('gte', 100), sum('lt', 500), orders('at_least', 2), orders('at_most', 3)],
    };
    const whole = compileMembersQuery(rule, { workspaceId: db.workspaceId, now: NOW });
    expect(whole.text.match(/group by e\.contact_id/g)).toHaveLength(2);
    expect(whole.text).not.toContain('e.contact_id = c.id');
    // Re-checking a few contacts probes each one's own events instead.
    const few = compileMembersQuery(rule, {
      workspaceId: db.workspaceId,
      now: NOW,
      contactIds: [...fixture.ids.values()],
    });
    expect(few.text).not.toContain('group by');
  });

  it('left the tables intact after the injection attempts', async () => {
    const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from contacts`;
    expect(row!.n).toBe(7);
  });
});

describe('rule errors name the field', () => {
  const compile = (rule: unknown) =>
    compileMembersQuery(rule as Condition, { workspaceId: db.workspaceId, now: NOW });

  it.each([
    [{ kind: 'segment', op: 'in', segmentId: "x'; drop table segments; --" }, 'segmentId'],
    [{ kind: 'property', property: '$nope', op: 'exists' }, 'property'],
    [
      {
        kind: 'all',
        conditions: [{ kind: 'event_last', event: 'e', op: 'within', duration: '1 fortnight' }],
      },
      'conditions.0.duration',
    ],
    [
      {
        kind: 'event_count',
        event: 'e',
        op: 'at_least',
        count: 1,
        where: { kind: 'property', property: '$email', op: 'exists' },
      },
      'where.property',
    ],
  ])('%j → %s', (rule, field) => {
    expect(() => compile(rule)).toThrow(SegmentRuleError);
    try {
      compile(rule);
    } catch (error) {
      expect((error as SegmentRuleError).field).toBe(field);
    }
  });
});

describe('one contact, with the values that decided it', () => {
  it('evaluates a flow condition and reports each leaf', async () => {
    const query = compileEvaluateQuery(
      {
        kind: 'all',
        conditions: [
          { kind: 'property', property: 'plan', op: 'eq', value: 'pro' },
          { kind: 'email', action: 'opened', op: 'at_least', count: 3, within: '30d' },
          {
            kind: 'event_last',
            event: 'email.clicked',
            op: 'within',
            duration: '7d',
            includeNever: true,
          },
        ],
      },
      { workspaceId: db.workspaceId, contactId: fixture.ids.get('ana')!, now: NOW },
    );
    const [row] = await db.sql.unsafe<{ matched: boolean; values: Record<string, unknown> }[]>(
      query.text,
      query.values,
    );
    expect(row!.matched).toBe(true);
    expect(row!.values['conditions.0']).toBe('pro');
    expect(row!.values['conditions.1']).toBe(3);
    expect(String(row!.values['conditions.2'])).toMatch(/^2025-06-12/);
  });

  it('follows a merged contact to the one it was merged into', async () => {
    const [gus] = await db.sql<
      { id: string }[]
    >`select id from contacts where email = 'gus@x.test'`;
    const query = compileEvaluateQuery(
      { kind: 'tag', op: 'has', tag: 'vip' },
      { workspaceId: db.workspaceId, contactId: gus!.id, now: NOW },
    );
    const [row] = await db.sql.unsafe<{ matched: boolean }[]>(query.text, query.values);
    expect(row!.matched).toBe(true);
  });
});

describe('preview', () => {
  it('returns the count, the base size and a sample, newest first', async () => {
    const query = compilePreviewQuery(
      { kind: 'property', property: 'plan', op: 'exists' },
      { workspaceId: db.workspaceId, now: NOW, sampleSize: 3 },
    );
    const [row] = await db.sql.unsafe<
      { count: number; total: number; sample: { email: string | null }[] }[]
    >(query.text, query.values);
    expect(row!.count).toBe(4);
    expect(row!.total).toBe(6);
    expect(row!.sample.map((s) => s.email)).toEqual(['bob@x.test', null, 'ana@x.test']);
  });
});
