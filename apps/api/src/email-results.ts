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
 * The columns of `email_messages m` that say what the recipient did with each email (migration
 * 0064, set from the email events as they are recorded), for a report's `messages` CTE.
 */
export const engagementColumns = (sql: Sql) =>
  sql`m.delivered_at, m.opened_at, m.clicked_at, m.unsubscribed_at, m.bounced_at, m.complained_at`;

/**
 * The counts of EmailResults but `skipped`, over messages `m` (`status`, `contact_id`,
 * `deferred_until` and engagementColumns). Opens, clicks, unsubscribes and complaints count
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
