import type { Sql } from '@relance/db';

/** What happened to some emails: the numbers every email report shows. */
export interface EmailResults {
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
}

/**
 * `cross join lateral (…) g`: what the recipient of message `m` (its id as text in
 * `m.message_id`) did with it, from the email events that carry its `messageId` — one index
 * probe per message (`events_email_message`). A report's messages are few next to the
 * workspace's email events, which a hash join would read in full.
 */
export const engagementOf = (sql: Sql, workspaceId: string) => sql`
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
  ) g`;

/**
 * The counts of EmailResults but `skipped`, over messages `m` (`status`, `contact_id`,
 * `deferred_until`) and their engagement `g`. Opens, clicks, unsubscribes and complaints count
 * people; the rest count emails.
 */
export const resultCounts = (sql: Sql) => sql`
  count(*) filter (where m.status = 'sent')::int as sent,
  count(*) filter (where g.delivered)::int as delivered,
  count(distinct m.contact_id) filter (where g.opened)::int as opened,
  count(distinct m.contact_id) filter (where g.clicked)::int as clicked,
  count(distinct m.contact_id) filter (where g.unsubscribed)::int as unsubscribed,
  count(*) filter (where g.bounced)::int as bounced,
  count(distinct m.contact_id) filter (where g.complained)::int as complained,
  count(*) filter (where m.status = 'failed')::int as failed,
  count(*) filter (where m.status = 'pending' and m.deferred_until is not null)::int as deferred`;

/** Numbers of no email at all. */
export const noResults = (): EmailResults => ({
  sent: 0,
  delivered: 0,
  opened: 0,
  clicked: 0,
  unsubscribed: 0,
  bounced: 0,
  complained: 0,
  failed: 0,
  skipped: {},
  deferred: 0,
});
