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
 *
 * Over the whole base (`scope.grouped`), the rollups and the windowed events are each read in
 * one grouped pass over the workspace instead of a probe per contact: a million probes took
 * 25 s where the passes take a few. Rules with an event filter stay per contact (a filter may
 * read the contact's time zone).
 */
export function compileRulesScore(
  rules: readonly ScoringRule[],
  scope: RuleScope,
): { expression: string; joins: string } {
  const p = scope.params;
  const plain = rules.filter((r) => r.filter === undefined && r.within === undefined);
  const scanned = rules.filter((r) => r.filter !== undefined || r.within !== undefined);
  const grouped = scope.grouped;
  const passed = grouped ? scanned.filter((r) => r.filter === undefined) : [];
  const probed = scanned.filter((r) => !passed.includes(r));
  const terms: string[] = [];
  const names = (of: readonly ScoringRule[]) => p.textArray([...new Set(of.map((r) => r.event))]);
  if (plain.length > 0) {
    const points = plain.map(
      (rule) =>
        `case when r.name = ${p.text(rule.event)} then ${p.integer(rule.points)} else 0 end`,
    );
    const sum = `sum((${points.join(' + ')}) * r.count)`;
    if (grouped) {
      // The (workspace, name, last_at) index carries the contact and count: read alone.
      const alias = grouped.alias(
        JSON.stringify(['score-rollups', plain]),
        () =>
          `select r.contact_id, ${sum} as v from ${ROLLUPS} r where r.workspace_id = ${scope.workspace} and r.name = any(${names(plain)}) group by r.contact_id`,
      );
      terms.push(`coalesce(${alias}.v, 0)`);
    } else {
      // One probe of the contact's rollups for all plain rules, keyed by contact and names only
      // (a contact's rollups are in its workspace): the primary key finds the rows, and only the
      // rows of those names are read from the table.
      terms.push(
        `coalesce((select ${sum} from ${ROLLUPS} r where r.contact_id = ${scope.contact}.id and r.name = any(${names(plain)})), 0)`,
      );
    }
  }
  const scan = (of: readonly ScoringRule[]) => {
    const cases = of.map((rule) => {
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
    // Every rule windowed: read no further back than the longest window.
    const windows = of.map((r) => (r.within === undefined ? null : durationMs(r.within, 'within')));
    const since = windows.every((w) => w !== null)
      ? ` and e.occurred_at > ${scope.shift(-Math.max(...windows))}`
      : '';
    return { sum: `sum(${cases.join(' + ')})`, where: `e.name = any(${names(of)})${since}` };
  };
  if (passed.length > 0) {
    const { sum, where } = scan(passed);
    const alias = grouped!.alias(
      JSON.stringify(['score-events', passed]),
      () =>
        `select e.contact_id, ${sum} as v from events e where e.workspace_id = ${scope.workspace} and ${where} group by e.contact_id`,
    );
    terms.push(`coalesce(${alias}.v, 0)`);
  }
  let joins = '';
  if (probed.length > 0) {
    const { sum, where } = scan(probed);
    // Per contact, so no workspace test (the contact's events are its workspace's): without one
    // and without a filter, the (contact, name, time) index answers from its pages alone.
    joins = `left join lateral (
      select ${sum} as points from events e
      where e.contact_id = ${scope.contact}.id and ${where}
    ) scored on true`;
    terms.push('coalesce(scored.points, 0)');
  }
  joins += grouped?.sql(scope.contact) ?? '';
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
