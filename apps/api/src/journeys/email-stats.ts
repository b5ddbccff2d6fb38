import type { Sql } from '@relance/db';

/** What happened to the emails one send-email step of a journey sent (all versions). */
export interface EmailNodeStats {
  /** Accepted by the mail server (or the dev outbox). */
  sent: number;
  /** Confirmed delivered by a delivery report; 0 where the provider sends none. */
  delivered: number;
  /** Contacts who opened (a click counts: images may have been blocked). */
  opened: number;
  /** Contacts who clicked a link. */
  clicked: number;
  /** Contacts who unsubscribed from one of these emails' links. */
  unsubscribed: number;
  /** Messages that bounced (hard or soft). */
  bounced: number;
  /** Contacts who reported one of these emails as spam. */
  complained: number;
  /** Refused for good by the mail server, or not renderable. */
  failed: number;
  /** Not sent on purpose, by reason (`suppressed_unsubscribed`, `topic_not_subscribed`, …). */
  skipped: Record<string, number>;
  /** Waiting now for quiet hours or the frequency cap to allow them. */
  deferred: number;
  /** Runs that reached a goal after this email was sent to them. */
  conversions: number;
}

/**
 * Per send-email step of a journey: sends, engagement attributed through each event's
 * `messageId`, skips by reason, deferrals and conversions — one statement over the journey's
 * send steps, their messages and the messages' email events (events_email_message).
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
        m.deferred_until, m.sent_at, s.node_id, r.id as run_id, r.converted_at
      from run_steps s
      join journey_runs r on r.id = s.run_id
      join email_messages m on m.workspace_id = s.workspace_id
        and m.idempotency_key = r.workflow_id || ':' || r.id || ':' || s.node_id || ':' || s.visit
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
    select m.node_id,
      count(*) filter (where m.status = 'sent')::int as sent,
      count(*) filter (where g.delivered)::int as delivered,
      count(distinct m.contact_id) filter (where g.opened)::int as opened,
      count(distinct m.contact_id) filter (where g.clicked)::int as clicked,
      count(distinct m.contact_id) filter (where g.unsubscribed)::int as unsubscribed,
      count(*) filter (where g.bounced)::int as bounced,
      count(distinct m.contact_id) filter (where g.complained)::int as complained,
      count(*) filter (where m.status = 'failed')::int as failed,
      count(*) filter (where m.status = 'pending' and m.deferred_until is not null)::int as deferred,
      count(distinct m.run_id) filter (where m.converted_at >= m.sent_at)::int as conversions,
      coalesce(s.skipped, '{}'::jsonb) as skipped
    from messages m
    -- One index probe per message (events_email_message): the journey's messages are few next to
    -- the workspace's email events, which a hash join would read in full.
    cross join lateral (
      select bool_or(e.name = 'email.delivered') as delivered,
        bool_or(e.name in ('email.opened', 'email.clicked')) as opened,
        bool_or(e.name = 'email.clicked') as clicked,
        bool_or(e.name = 'email.unsubscribed') as unsubscribed,
        bool_or(e.name = 'email.bounced') as bounced,
        bool_or(e.name = 'email.complained') as complained
      from events e
      where e.workspace_id = ${workspaceId} and e.name like 'email.%'
        and e.properties ->> 'messageId' = m.message_id
    ) g
    left join skips s on s.node_id = m.node_id
    group by m.node_id, s.skipped`;
  return Object.fromEntries(rows.map(({ nodeId, ...stats }) => [nodeId, stats]));
}
