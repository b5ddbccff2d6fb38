import type { TransactionSql } from './sql';

const WHOLE_TABLE_PLANS = ['enable_seqscan', 'enable_hashjoin', 'enable_mergejoin'];

/**
 * Runs one statement with the planner held to reads by key: sequential scans, and the hash and
 * merge joins that read whole tables, are off for that statement only. The values they had
 * are put back right after it, in the same pipeline (no round trip added), so the rest of the
 * caller's transaction plans as it would have.
 *
 * For a settle's statements, which touch a thousand or so keys in tables of any size: planned
 * from statistics taken while a workspace was young, or of one small next to the rows written,
 * PostgreSQL reads whole tables for them (docs/decisions.md, "Every lookup of a settle goes by
 * key").
 */
export async function byKeys<T>(tx: TransactionSql, statement: PromiseLike<T>): Promise<T> {
  // Sent in this order (a query leaves when it is first awaited). Each setting's value is kept
  // in a placeholder setting of the transaction to be put back: reading pg_settings instead
  // cost a millisecond a call.
  const [, result] = await Promise.all([
    tx`
      with kept as materialized (
        select name, current_setting(name) as value from unnest(${WHOLE_TABLE_PLANS}::text[]) as name)
      select set_config('relance.kept_' || name, value, true), set_config(name, 'off', true) from kept`,
    statement,
    tx`
      select set_config(name, current_setting('relance.kept_' || name), true)
      from unnest(${WHOLE_TABLE_PLANS}::text[]) as name`,
  ]);
  return result;
}
