import type { Sql } from '@relance/db';
import {
  conversionColumns,
  engagementColumns,
  resultCounts,
  type EmailResults,
} from '../email-results';

/** What happened to the emails one send-email step of a journey sent (all versions). */
export interface EmailNodeStats extends EmailResults {
  /** Emails after which their run reached a goal (each email once, like the other counts). */
  conversions: number;
}

/**
 * Per send-email step of a journey: sends, what their recipients did (kept on each message),
 * skips by reason, deferrals and conversions — one statement over the journey's messages, by
 * the step each was sent from (`node_id`, migration 0077). The messages are read themselves, as
 * the overview and the template report read them: an erased contact's emails keep counting
 * there and here. Every count is of emails (resultCounts), conversions too, so each rate over
 * `sent` compares emails with emails.
 */
export async function countEmailsByNode(
  sql: Sql,
  workspaceId: string,
  journeyId: string,
): Promise<Record<string, EmailNodeStats>> {
  const rows = await sql<({ nodeId: string } & EmailNodeStats)[]>`
    with messages as (
      -- A message recorded before 0077 has no node_id: its step is in its key
      -- {workflowId}:{runId}:{nodeId}:{visit} (step ids hold no ':').
      select m.id::text as message_id, m.contact_id, m.status, m.status_reason,
        m.deferred_until, m.sent_at, m.last_error, m.claimed_at, m.updated_at, ${engagementColumns(sql)}, ${conversionColumns(sql)},
        m.idempotency_key, coalesce(m.node_id, split_part(m.idempotency_key, ':', -2)) as node_id
      from email_messages m
      -- The orders of each of the journey's emails, by the index of their email: the work grows
      -- with the journey's emails, not with every order the workspace ever attributed.
      left join lateral (
        select count(*)::int as orders, sum(c.value) as revenue
        from email_conversions c where c.message_id = m.id) cv on true
      where m.journey_id = ${journeyId} and m.workspace_id = ${workspaceId}
    ),
    -- Emails after which their run met a goal: the journey's runs that met one, their send
    -- steps, and the messages above under those steps' keys (workflows/run-state.ts actionKey).
    -- An erased contact's run is gone, and its goal with it, as its orders go with its events.
    goals as (
      select m.node_id, count(*)::int as conversions
      from journey_runs r
      join run_steps s on s.run_id = r.id and s.kind = 'action.send_email'
      join messages m
        on m.idempotency_key = r.workflow_id || ':' || r.id || ':' || s.node_id || ':' || s.visit
      where r.journey_id = ${journeyId} and r.workspace_id = ${workspaceId}
        and r.converted_at is not null and r.converted_at >= m.sent_at
      group by m.node_id
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
      coalesce(g.conversions, 0) as conversions,
      coalesce(s.skipped, '{}'::jsonb) as skipped
    from messages m
    left join skips s on s.node_id = m.node_id
    left join goals g on g.node_id = m.node_id
    group by m.node_id, s.skipped, g.conversions`;
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
