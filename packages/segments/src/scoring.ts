import { z } from 'zod';
import { Duration, EventFilter, EventName } from '@relance/flow';
import { eventWindowRows, type CrossingWindow } from './crossings';
import { durationMs, eventScanSql, ROLLUPS } from './events';
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

/** Σ points × matching events, as an integer SQL expression over the contact in scope. */
export function compileRulesScore(rules: readonly ScoringRule[], scope: RuleScope): string {
  if (rules.length === 0) return '0';
  const terms = rules.map((rule, i) => {
    const field = fieldPath('rules', i);
    const count =
      rule.filter === undefined && rule.within === undefined
        ? `coalesce((select r.count from ${ROLLUPS} r where r.contact_id = ${scope.contact}.id and r.name = ${scope.params.text(rule.event)}), 0)`
        : `(select count(*) ${eventScanSql({ event: rule.event, where: rule.filter, within: rule.within }, scope, field)})`;
    return `${scope.params.integer(rule.points)} * ${count}`;
  });
  return `(${terms.join(' + ')})::int`;
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
