import type { Sql } from '@relance/db';
import {
  conversionColumns,
  conversionsByMessage,
  engagementColumns,
  noResults,
  resultCounts,
  type EmailResults,
} from '../email-results';

/**
 * The period a report covers: the last `days` calendar days in the workspace's time zone,
 * today included, from the start of the first.
 */
export interface ReportPeriod {
  timezone: string;
  days: number;
  /** The first day, `YYYY-MM-DD`. */
  from: string;
  since: Date;
}

async function periodOf(
  sql: Sql,
  workspaceId: string,
  days: number,
  now: Date,
): Promise<ReportPeriod> {
  const [row] = await sql<{ timezone: string; from: string; since: Date }[]>`
    select w.timezone, to_char(d.first, 'YYYY-MM-DD') as from,
      (d.first::timestamp at time zone w.timezone) as since
    from workspaces w
    cross join lateral (
      select (${now}::timestamptz at time zone w.timezone)::date - ${days - 1}::int as first) d
    where w.id = ${workspaceId}`;
  if (!row) throw new Error(`workspace ${workspaceId} not found`);
  return { ...row, days };
}

/**
 * `messages` CTE: the emails recorded in the period (of one template, when given), sent,
 * skipped, failed or waiting, with their orders; test sends left out.
 */
const messagesOf = (sql: Sql, workspaceId: string, since: Date, templateId: string | null) => sql`
  messages as (
    select m.id::text as message_id, m.template_id, m.journey_id, m.contact_id, m.status,
      coalesce(m.status_reason, 'unknown') as reason, m.deferred_until, m.created_at, m.sent_at,
      m.last_error, m.claimed_at, m.updated_at,
      ${engagementColumns(sql)}, ${conversionColumns(sql)}
    from email_messages m
    -- An email's orders come after it: those since the period began cover its emails.
    left join ${conversionsByMessage(sql, workspaceId, since)} cv on cv.message_id = m.id
    where m.workspace_id = ${workspaceId} and m.created_at >= ${since}
      and m.idempotency_key not like 'test:%'
      ${templateId === null ? sql`` : sql`and m.template_id = ${templateId}`}
  )`;

type CountsRow = Omit<EmailResults, 'skipped'> & { skippedHere: number };
type Counts = Omit<EmailResults, 'skipped'>;

const skippedCount = (sql: Sql) =>
  sql`count(*) filter (where m.status = 'skipped')::int as skipped_here`;

/** The counts of a row, without what grouped it. */
const countsOf = (row: CountsRow): Counts => ({
  sent: row.sent,
  delivered: row.delivered,
  opened: row.opened,
  machineOpened: row.machineOpened,
  clicked: row.clicked,
  unsubscribed: row.unsubscribed,
  bounced: row.bounced,
  complained: row.complained,
  failed: row.failed,
  deferred: row.deferred,
  converted: row.converted,
  orders: row.orders,
  revenue: row.revenue,
});

/** Each template's numbers over the period, for the templates that sent or skipped anything. */
export async function templatesPerformance(
  sql: Sql,
  input: { workspaceId: string; days: number; now: Date },
): Promise<ReportPeriod & { templates: Record<string, EmailResults> }> {
  const period = await periodOf(sql, input.workspaceId, input.days, input.now);
  // One pass over the period's messages: each template's counts, and its skips by reason.
  const rows = await sql<(CountsRow & { templateId: string; reason: string | null })[]>`
    with ${messagesOf(sql, input.workspaceId, period.since, null)}
    select m.template_id::text as template_id,
      case when grouping(m.reason) = 0 then m.reason end as reason,
      ${resultCounts(sql)}, ${skippedCount(sql)}
    from messages m
    where m.template_id is not null
    group by grouping sets ((m.template_id), (m.template_id, m.reason))`;
  const templates: Record<string, EmailResults> = {};
  for (const row of rows.filter((r) => r.reason === null)) {
    templates[row.templateId] = { ...countsOf(row), skipped: {} };
  }
  for (const row of rows) {
    if (row.reason !== null && row.skippedHere > 0)
      templates[row.templateId]!.skipped[row.reason] = row.skippedHere;
  }
  return { ...period, templates };
}

export interface DayResults {
  /** `YYYY-MM-DD` in the workspace's time zone. */
  day: string;
  sent: number;
  opened: number;
  clicked: number;
  unsubscribed: number;
  /** The value of the orders these emails brought (whenever the orders came). */
  revenue: number;
}

export interface SenderResults extends Omit<EmailResults, 'skipped'> {
  /** Emails not sent on purpose (the reasons are in the template's totals). */
  skipped: number;
  /** null: sent outside any journey. */
  journeyId: string | null;
  /** The journey's name (null when it has since been deleted, or outside journeys). */
  name: string | null;
}

/**
 * One template's emails over the period (every email of the workspace when `templateId` is
 * null): their numbers, each day's (every day of the period: emails by the day they were sent,
 * or recorded when they were not), and each journey's that sent them.
 */
export async function templatePerformance(
  sql: Sql,
  input: { workspaceId: string; templateId: string | null; days: number; now: Date },
): Promise<
  ReportPeriod & { totals: EmailResults; daily: DayResults[]; journeys: SenderResults[] }
> {
  const period = await periodOf(sql, input.workspaceId, input.days, input.now);
  // grouping(day, journey, reason): 7 the totals, 3 a day, 5 a journey, 6 a skip reason.
  const rows = await sql<
    (CountsRow & {
      level: number;
      day: string | null;
      journeyId: string | null;
      reason: string | null;
      name: string | null;
    })[]
  >`
    with ${messagesOf(sql, input.workspaceId, period.since, input.templateId)},
    days as (
      -- A sent email counts on the day it went out (a deferred one may leave the next morning),
      -- the others on the day they were recorded.
      select m.*, to_char((coalesce(m.sent_at, m.created_at) at time zone ${period.timezone})::date,
        'YYYY-MM-DD') as day
      from messages m
    ),
    counted as (
      select grouping(m.day, m.journey_id, m.reason) as level, m.day, m.journey_id, m.reason,
        ${resultCounts(sql)}, ${skippedCount(sql)}
      from days m
      group by grouping sets ((), (m.day), (m.journey_id), (m.reason))
    )
    select c.*, j.name
    from counted c
    left join journeys j on c.level = 5 and j.id::text = c.journey_id
      and j.workspace_id = ${input.workspaceId}`;
  const skipped = Object.fromEntries(
    rows.filter((r) => r.level === 6 && r.skippedHere > 0).map((r) => [r.reason!, r.skippedHere]),
  );
  const total = rows.find((r) => r.level === 7);
  const byDay = new Map(rows.filter((r) => r.level === 3).map((r) => [r.day!, r]));
  const daily: DayResults[] = [];
  const first = new Date(`${period.from}T00:00:00Z`);
  for (let i = 0; i < period.days; i++) {
    const day = new Date(first.getTime() + i * 86_400_000).toISOString().slice(0, 10);
    const row = byDay.get(day);
    daily.push({
      day,
      sent: row?.sent ?? 0,
      opened: row?.opened ?? 0,
      clicked: row?.clicked ?? 0,
      unsubscribed: row?.unsubscribed ?? 0,
      revenue: row?.revenue ?? 0,
    });
  }
  const journeys = rows
    .filter((r) => r.level === 5)
    .map((r) => ({
      journeyId: r.journeyId,
      name: r.name,
      ...countsOf(r),
      skipped: r.skippedHere,
    }))
    // Most emails first; outside journeys last among equals.
    .sort((a, b) => b.sent - a.sent || Number(a.journeyId === null) - Number(b.journeyId === null));
  return {
    ...period,
    totals: total ? { ...countsOf(total), skipped } : noResults(),
    daily,
    journeys,
  };
}

/** An order attributed to one of a template's emails. */
export interface AttributedOrder {
  eventId: string;
  /**
   * The shop's order number, from the order event's `orderId` (else Segment's `order_id`); null
   * when the event carries none.
   */
  orderId: string | null;
  /** null once the buyer was erased (their orders go with them, so only in a race). */
  contactId: string | null;
  /** The buyer's email, else their external id. */
  contact: string | null;
  /** null: the order had no value, or one in another currency than the workspace's. */
  value: number | null;
  at: Date;
  messageId: string;
}

/** The latest orders attributed to a template's emails of the period, newest first. */
export async function latestOrders(
  sql: Sql,
  input: { workspaceId: string; templateId: string; since: Date; limit: number },
): Promise<AttributedOrder[]> {
  return sql<AttributedOrder[]>`
    select c.event_id::text as event_id,
      nullif(btrim(coalesce(e.properties ->> 'orderId', e.properties ->> 'order_id')), '')
        as order_id,
      k.id as contact_id,
      coalesce(k.email, k.external_id) as contact, c.value::float8 as value,
      c.occurred_at as at, m.id::text as message_id
    from email_conversions c
    join email_messages m on m.id = c.message_id
    left join contacts k on k.id = m.contact_id
    left join events e on e.id = c.event_id and e.workspace_id = c.workspace_id
    where c.workspace_id = ${input.workspaceId} and c.occurred_at >= ${input.since}
      and m.template_id = ${input.templateId} and m.created_at >= ${input.since}
    order by c.occurred_at desc, c.event_id desc
    limit ${input.limit}`;
}
