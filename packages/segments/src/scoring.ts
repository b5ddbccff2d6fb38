import { z } from 'zod';
import { Duration, EventFilter, EventName } from '@relance/flow';
import { eventWindowRows, type CrossingWindow } from './crossings';
import { compileEventFilter, durationMs, ROLLUPS } from './events';
import { fieldPath } from './rule-error';
import type { RuleScope } from './scope';

/** "+10 per purchase in the last week", "+3 per click", "−5 on unsubscribe". */
export const ScoringRule = z.object({
  name: z.string().trim().min(1, 'Name the rule').max(200),
  event: EventName,
  filter: EventFilter.optional(),
  points: z
    .number()
    .int('Points are whole numbers')
    .min(-1000)
    .max(1000)
    .refine((p) => p !== 0, 'A rule giving 0 points does nothing'),
  within: Duration.optional(),
});
export type ScoringRule = z.infer<typeof ScoringRule>;

/** A tag the score maintains: present while score ≥ minScore ("hot-lead" from 50). */
export const ScoreTag = z.object({
  tag: z.string().trim().min(1, 'A tag cannot be empty').max(100),
  minScore: z.number().int('Scores are whole numbers'),
});
export type ScoreTag = z.infer<typeof ScoreTag>;

/**
 * Σ points × matching events for the contact in scope: `expression` (an integer) and the
 * `joins` it needs after `from contacts c`. Plain rules read the rollups; rules with a window
 * or a filter share one scan of the contact's recent events of those names.
 */
export function compileRulesScore(
  rules: readonly ScoringRule[],
  scope: RuleScope,
): { expression: string; joins: string } {
  const p = scope.params;
  const plain = rules.filter((r) => r.filter === undefined && r.within === undefined);
  const scanned = rules.filter((r) => r.filter !== undefined || r.within !== undefined);
  const terms: string[] = [];
  if (plain.length > 0) {
    // One probe of the contact's rollups for all plain rules, keyed by contact and names only
    // (a contact's rollups are in its workspace): the primary key finds the rows, and only the
    // rows of those names are read from the table.
    const points = plain.map(
      (rule) =>
        `case when r.name = ${p.text(rule.event)} then ${p.integer(rule.points)} else 0 end`,
    );
    terms.push(
      `coalesce((select sum((${points.join(' + ')}) * r.count) from ${ROLLUPS} r where r.contact_id = ${scope.contact}.id and r.name = any(${p.textArray([...new Set(plain.map((r) => r.event))])})), 0)`,
    );
  }
  let joins = '';
  if (scanned.length > 0) {
    const cases = scanned.map((rule) => {
      const field = fieldPath('rules', rules.indexOf(rule));
      const tests = [`e.name = ${p.text(rule.event)}`];
      if (rule.within !== undefined) {
        tests.push(
          `e.occurred_at > ${scope.shift(-durationMs(rule.within, fieldPath(field, 'within')))}`,
        );
      }
      if (rule.filter !== undefined)
        tests.push(compileEventFilter(rule.filter, 'e', scope, fieldPath(field, 'filter')));
      return `case when ${tests.join(' and ')} then ${p.integer(rule.points)} else 0 end`;
    });
    // Every scanned rule windowed: read no further back than the longest window.
    const windows = scanned.map((r) =>
      r.within === undefined ? null : durationMs(r.within, 'within'),
    );
    const since = windows.every((w) => w !== null)
      ? ` and e.occurred_at > ${scope.shift(-Math.max(...windows))}`
      : '';
    // Per contact, so no workspace test (the contact's events are its workspace's): without one
    // and without a filter, the (contact, name, time) index answers from its pages alone.
    joins = `left join lateral (
      select sum(${cases.join(' + ')}) as points from events e
      where e.contact_id = ${scope.contact}.id and e.name = any(${p.textArray([...new Set(scanned.map((r) => r.event))])})${since}
    ) scored on true`;
    terms.push('coalesce(scored.points, 0)');
  }
  return { expression: terms.length === 0 ? '0' : `(${terms.join(' + ')})::int`, joins };
}

/** Contacts whose windowed rules lost an event during the window (their score drops). */
export function compileScoringCrossings(
  rules: readonly ScoringRule[],
  w: CrossingWindow,
): string[] {
  return rules.flatMap((rule, i) =>
    rule.within === undefined
      ? []
      : [eventWindowRows(rule.event, durationMs(rule.within, fieldPath('rules', i, 'within')), w)],
  );
}
