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
  /** Contacts who placed an order attributed to one of these emails. */
  converted: number;
  /** Orders attributed to these emails (the last email opened or clicked before each). */
  orders: number;
  /** The orders' value, in the workspace's currency. */
  revenue: number;
}

/**
 * The columns of `email_messages m` that say what the recipient did with each email (migration
 * 0064, set from the email events as they are recorded), for a report's `messages` CTE.
 */
export const engagementColumns = (sql: Sql) =>
  sql`m.delivered_at, m.opened_at, m.clicked_at, m.unsubscribed_at, m.bounced_at, m.complained_at`;

/**
 * The orders attributed to each email of the workspace (`message_id`, `orders`, `revenue`) placed
 * since `since` (a report's period: an email's orders come after it): to left-join to the
 * period's messages by id, as `cv`. Grouped once and hashed: a probe per message costs more, over
 * a period's emails, than the few orders there are to group.
 */
export const conversionsByMessage = (sql: Sql, workspaceId: string, since: Date) => sql`
  (select c.message_id, count(*)::int as orders, coalesce(sum(c.value), 0) as revenue
   from email_conversions c
   where c.workspace_id = ${workspaceId} and c.occurred_at >= ${since}
   group by c.message_id)`;

/** A message's orders and their value from `cv` (conversionsByMessage, or a probe per message). */
export const conversionColumns = (sql: Sql) =>
  sql`coalesce(cv.orders, 0) as orders, coalesce(cv.revenue, 0) as revenue`;

/**
 * The counts of EmailResults but `skipped`, over messages `m` (`status`, `contact_id`,
 * `deferred_until`, engagementColumns and conversionColumns). Opens, clicks, unsubscribes and complaints count
 * people; the rest count emails.
 */
export const resultCounts = (sql: Sql) => sql`
  count(*) filter (where m.status = 'sent')::int as sent,
  count(*) filter (where m.delivered_at is not null)::int as delivered,
  count(distinct m.contact_id) filter (where m.opened_at is not null)::int as opened,
  count(distinct m.contact_id) filter (where m.clicked_at is not null)::int as clicked,
  count(distinct m.contact_id) filter (where m.unsubscribed_at is not null)::int as unsubscribed,
  count(*) filter (where m.bounced_at is not null)::int as bounced,
  count(distinct m.contact_id) filter (where m.complained_at is not null)::int as complained,
  count(*) filter (where m.status = 'failed')::int as failed,
  count(*) filter (where m.status = 'pending' and m.deferred_until is not null)::int as deferred,
  count(distinct m.contact_id) filter (where m.orders > 0)::int as converted,
  coalesce(sum(m.orders), 0)::int as orders,
  coalesce(sum(m.revenue), 0)::float8 as revenue`;

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
  converted: 0,
  orders: 0,
  revenue: 0,
});
