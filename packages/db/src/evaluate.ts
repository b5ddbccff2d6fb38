import type { Condition } from '@relance/flow';
import { compileEvaluateQuery, UUID } from '@relance/segments';
import { notFoundError } from './data-error';
import type { Sql, TransactionSql } from './sql';

/**
 * Evaluates a condition for one contact at `now` (a flow's if/else, waits, goals, exits):
 * whether it matched, and the value each leaf looked at keyed by its path in the condition
 * (`conditions.1` → 3 opens), for the run's step log. Merged contacts resolve to their survivor.
 */
export async function evaluateCondition(
  sql: Sql | TransactionSql,
  input: {
    workspaceId: string;
    contactId: string;
    condition: Condition;
    now: Date;
    /** The journey run asking: conditions counting "since they entered the journey" need it. */
    runId?: string;
  },
): Promise<{ matched: boolean; values: Record<string, unknown> }> {
  if (!UUID.test(input.contactId)) throw notFoundError('The contact');
  const query = compileEvaluateQuery(input.condition, input);
  const [row] = await sql.unsafe<{ matched: boolean; values: Record<string, unknown> }[]>(
    query.text,
    query.values,
  );
  if (!row) throw notFoundError('The contact');
  return { matched: row.matched, values: row.values };
}
