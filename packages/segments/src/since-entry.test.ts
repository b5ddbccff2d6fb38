import { describe, expect, it } from 'vitest';
import { Condition } from '@relance/flow';
import { compileEvaluateQuery, compileMembersQuery } from './queries';
import { SegmentRuleError } from './rule-error';

const WORKSPACE = '00000000-0000-4000-8000-000000000001';
const CONTACT = '00000000-0000-4000-8000-000000000002';
const RUN = '00000000-0000-4000-8000-000000000003';
const NOW = new Date('2025-06-15T12:00:00Z');

describe('"since they entered the journey"', () => {
  const leaves = [
    { kind: 'event_count', event: 'order.completed', op: 'exactly', count: 0, sinceEntry: true },
    { kind: 'email', action: 'clicked', op: 'at_least', count: 1, sinceEntry: true },
    {
      kind: 'event_aggregate',
      event: 'order.completed',
      property: 'amount',
      fn: 'sum',
      op: 'gt',
      value: 100,
      sinceEntry: true,
    },
  ] as const;

  it.each(leaves)('reads the events after the run’s entry ($kind)', (leaf) => {
    const q = compileEvaluateQuery(Condition.parse(leaf), {
      workspaceId: WORKSPACE,
      contactId: CONTACT,
      now: NOW,
      runId: RUN,
    });
    // From the events (the rollups know nothing of a run), after the run's watermark.
    expect(q.text).toMatch(/from events e\b/);
    expect(q.text).not.toContain('contact_event_rollups');
    expect(q.text).toMatch(/e\.id > \(select coalesce\(jr\.watermark/);
    expect(q.values).toContain(RUN);
  });

  it.each(leaves)('is refused in a segment rule, naming the field ($kind)', (leaf) => {
    const rule = Condition.parse({ kind: 'not', condition: leaf });
    expect(() => compileMembersQuery(rule, { workspaceId: WORKSPACE, now: NOW })).toThrow(
      expect.objectContaining({
        constructor: SegmentRuleError,
        field: 'condition.sinceEntry',
        message: 'Only a journey can count since the contact entered it: choose a time window',
      }),
    );
  });

  it('takes a time window or "since they entered", not both', () => {
    const result = Condition.safeParse({ ...leaves[0], within: '7d' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['sinceEntry', 'Choose a time window or "since they entered the journey", not both'],
    ]);
  });
});
