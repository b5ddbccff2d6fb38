import type { Sql } from '@relance/db';

/** What happened to some emails: the numbers every email report shows. */
export interface EmailResults {
  /**
   * Accepted by the mail server (or the dev outbox), or handed to it with its answer lost (never
   * sent again: it counts as sent).
   */
  sent: number;
  /** Confirmed delivered by a delivery report; 0 where the provider sends none. */
  delivered: number;
  /**
   * Emails opened by a person, each once (a click counts: images may have been blocked). A
   * machine's open (Apple Mail Privacy Protection's prefetch, a scanner) does not count.
   */
  opened: number;
  /**
   * Emails opened only by a machine (Apple Mail Privacy Protection's prefetch on delivery, a
   * scanner fetching the pixel, a HEAD request), with no open or click from a person: not in
   * `opened`. Apple serves its readers' real opens from its cache, so some of these were read;
   * shown beside the open rate to explain it, never added to it.
   */
  machineOpened: number;
  /** Emails with a link clicked, each once. */
  clicked: number;
  /** Emails whose unsubscribe link (or header) was used. */
  unsubscribed: number;
  /** Emails reported bounced (hard, or soft and not delivered after). */
  bounced: number;
  /** Emails reported as spam. */
  complained: number;
  /** Refused for good by the mail server, or not renderable. */
  failed: number;
  /** Not sent on purpose, by reason (`suppressed_unsubscribed`, `topic_not_subscribed`, …). */
  skipped: Record<string, number>;
  /** Waiting now for quiet hours or the frequency cap to allow them. */
  deferred: number;
  /** Emails that brought at least one order. */
  converted: number;
  /**
   * Orders attributed to these emails (the last email clicked before each, else the last a person opened), each
   * order once: a second event with the same `orderId` (or `order_id`) is not counted.
   */
  orders: number;
  /**
   * The orders' value, in the workspace's currency: an order whose `currency` is another counts
   * as an order but adds nothing.
   */
  revenue: number;
}

/**
 * The columns of `email_messages m` that say what the recipient did with each email (migration
 * 0064, set from the email events as they are recorded; `machine_opened_at` since 0078), for a
 * report's `messages` CTE.
 */
export const engagementColumns = (sql: Sql) =>
  sql`m.delivered_at, m.opened_at, m.machine_opened_at, m.clicked_at, m.unsubscribed_at, m.bounced_at, m.complained_at`;

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
 * Whether message `m` counts as sent: accepted by the server, or handed over with its answer lost
 * — `sending` with the loss noted after the claim (`noteMessageHandedOver` writes `last_error`
 * and `updated_at`; the claim sets `updated_at` to `claimed_at` and keeps an earlier attempt's
 * error), or claimed more than 5 minutes ago by an attempt that never reported back. Neither is
 * ever sent again, and the send step counts them as sent (packages/email send-template.ts
 * `settledOutcome`); a younger claim is still in flight.
 */
export const countsAsSent = (sql: Sql) =>
  sql`(m.status = 'sent' or (m.status = 'sending'
    and ((m.last_error is not null and m.updated_at > m.claimed_at)
      or m.claimed_at < now() - interval '5 minutes')))`;

/**
 * The counts of EmailResults but `skipped`, over messages `m` (`status`, `last_error`,
 * `claimed_at`, `updated_at`, `deferred_until`, engagementColumns and conversionColumns). Every count is of
 * emails, as the rates divide them by the emails sent: an email opened (once, however many times
 * it was opened), an email that brought an order, … — a contact sent 4 emails who opened all 4
 * counts 4 opens, and an erased contact's emails keep counting. A bounce later followed by a
 * delivery (a soft bounce the provider retried) counts as delivered, not bounced.
 */
export const resultCounts = (sql: Sql) => sql`
  count(*) filter (where ${countsAsSent(sql)})::int as sent,
  count(*) filter (where m.delivered_at is not null)::int as delivered,
  count(*) filter (where m.opened_at is not null)::int as opened,
  count(*) filter (where m.machine_opened_at is not null and m.opened_at is null)::int
    as machine_opened,
  count(*) filter (where m.clicked_at is not null)::int as clicked,
  count(*) filter (where m.unsubscribed_at is not null)::int as unsubscribed,
  count(*) filter (where m.bounced_at is not null
    and (m.delivered_at is null or m.delivered_at < m.bounced_at))::int as bounced,
  count(*) filter (where m.complained_at is not null)::int as complained,
  count(*) filter (where m.status = 'failed')::int as failed,
  count(*) filter (where m.status = 'pending' and m.deferred_until is not null)::int as deferred,
  count(*) filter (where m.orders > 0)::int as converted,
  coalesce(sum(m.orders), 0)::int as orders,
  coalesce(sum(m.revenue), 0)::float8 as revenue`;

/** Numbers of no email at all. */
export const noResults = (): EmailResults => ({
  sent: 0,
  delivered: 0,
  opened: 0,
  machineOpened: 0,
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
