import type { Sql } from '@relance/db';
import {
  conversionColumns,
  engagementColumns,
  resultCounts,
  type EmailResults,
} from '../email-results';

/** What happened to the emails one send-email step of a journey sent (all versions). */
export interface EmailNodeStats extends EmailResults {
  /** Runs that reached a goal after this email was sent to them. */
  conversions: number;
}

/**
 * Per send-email step of a journey: sends, what their recipients did (kept on each message),
 * skips by reason, deferrals and conversions — one statement over the journey's send steps and
 * their messages.
 */
export async function countEmailsByNode(
  sql: Sql,
  workspaceId: string,
  journeyId: string,
): Promise<Record<string, EmailNodeStats>> {
  const rows = await sql<({ nodeId: string } & EmailNodeStats)[]>`
    with messages as (
      -- A send step records its message under the step's key (workflows/run-state.ts actionKey),
      -- so the journey's steps find their messages through the unique key index.
      select m.id::text as message_id, m.contact_id, m.status, m.status_reason,
        m.deferred_until, m.sent_at, ${engagementColumns(sql)}, ${conversionColumns(sql)},
        s.node_id, r.id as run_id, r.converted_at
      from run_steps s
      join journey_runs r on r.id = s.run_id
      join email_messages m on m.workspace_id = s.workspace_id
        and m.idempotency_key = r.workflow_id || ':' || r.id || ':' || s.node_id || ':' || s.visit
      -- The orders of each of the journey's emails, by the index of their email: the work grows
      -- with the journey's emails, not with every order the workspace ever attributed.
      left join lateral (
        select count(*)::int as orders, sum(c.value) as revenue
        from email_conversions c where c.message_id = m.id) cv on true
      where s.journey_id = ${journeyId} and s.kind = 'action.send_email'
        and s.workspace_id = ${workspaceId}
    ),
    skips as (
      select node_id, jsonb_object_agg(reason, n) as skipped
      from (
        select node_id, coalesce(status_reason, 'unknown') as reason, count(*)::int as n
        from messages where status = 'skipped' group by 1, 2
      ) s
      group by node_id
    )
    select m.node_id, ${resultCounts(sql)},
      count(distinct m.run_id) filter (where m.converted_at >= m.sent_at)::int as conversions,
      coalesce(s.skipped, '{}'::jsonb) as skipped
    from messages m
    left join skips s on s.node_id = m.node_id
    group by m.node_id, s.skipped`;
  return Object.fromEntries(rows.map(({ nodeId, ...stats }) => [nodeId, stats]));
}

/** What each journey's emails brought, all versions and all time: orders and their value. */
export async function ordersByJourney(
  sql: Sql,
  workspaceId: string,
): Promise<Record<string, { orders: number; revenue: number }>> {
  const rows = await sql<{ journeyId: string; orders: number; revenue: number }[]>`
    select m.journey_id, count(*)::int as orders, coalesce(sum(c.value), 0)::float8 as revenue
    from email_conversions c
    join email_messages m on m.id = c.message_id
    where c.workspace_id = ${workspaceId} and m.journey_id is not null
    group by m.journey_id`;
  return Object.fromEntries(rows.map(({ journeyId, ...r }) => [journeyId, r]));
}
