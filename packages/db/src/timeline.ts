import { contactIdsOf } from './contact-lookup';
import { DataError } from './data-error';
import type { Sql } from './sql';
import { describeSteps } from './step-sentences';

/** One line of a contact's history, newest first. */
export type TimelineItem =
  | {
      kind: 'event';
      at: Date;
      id: string;
      name: string;
      properties: Record<string, unknown>;
      source: string;
      /** For an email's events (`properties.messageId`): that email's subject, when known. */
      emailSubject?: string | null;
      /** For an order: the email it is attributed to (the last one opened before it). */
      attributedTo?: { messageId: string; subject: string | null; templateId: string | null };
    }
  | {
      kind: 'segment';
      at: Date;
      id: string;
      segmentId: string;
      segmentName: string;
      change: 'entered' | 'exited';
      cause: string;
      /** The change happened to a contact since merged into this one (its history stays its own). */
      fromMerged: boolean;
    }
  | {
      kind: 'journey_step';
      /** When the step was left (a wait: when it ended); when entered while still there. */
      at: Date;
      id: string;
      runId: string;
      /** When the run reached the step: before `at` for a wait. */
      enteredAt: Date;
      leftAt: Date | null;
      /**
       * What the run is about, when its trigger names one (`journey_runs.entry_key`): the order
       * id of a post-purchase run, the date of a birthday's; null otherwise.
       */
      entryKey: string | null;
      /** The event property the key was read from (`orderId`), for an event trigger's run. */
      entryKeyPath: string | null;
      journeyId: string;
      journeyName: string;
      nodeId: string;
      nodeKind: string;
      /** The step as the canvas words it: "Send 'Welcome'", "Wait 3 days". */
      step: string;
      outcome: string;
      port: string | null;
      /** How a step with several ways out was left, in words ("yes", "timed out"); else null. */
      way: string | null;
    }
  | {
      kind: 'message';
      at: Date;
      id: string;
      subject: string | null;
      /** `email_messages.status`. */
      status: 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';
      templateId: string | null;
      /** The template's name, for an email never written (skipped) and so without a subject. */
      templateName: string | null;
      statusReason: string | null;
      /** A pending email held by quiet hours or the frequency cap: until when (ISO time). */
      deferredUntil: string | null;
    };

/** A journey step's row as the query returns it, before it is worded. */
type StepData = Omit<
  Extract<TimelineItem, { kind: 'journey_step' }>,
  'kind' | 'at' | 'step' | 'way'
> & {
  workspaceId: string;
  config: unknown;
};

interface Row {
  kind: TimelineItem['kind'];
  at: Date;
  /** The instant with microseconds, for the cursor. */
  cursorAt: string;
  key: string;
  data: Record<string, unknown>;
}

interface Cursor {
  at: string;
  key: string;
}

function decode(cursor: string): Cursor {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Cursor;
    if (
      typeof value.at === 'string' &&
      typeof value.key === 'string' &&
      !Number.isNaN(Date.parse(value.at))
    )
      return value;
  } catch {
    // reported below
  }
  throw new DataError('invalid_cursor', 400, 'The cursor is not one this API returned', 'cursor');
}

/**
 * A contact's events, segment enters/exits, journey steps and messages, newest first, across
 * the contacts merged into it. Keyset-paginated by (time, key).
 */
export async function getTimeline(
  sql: Sql,
  input: { contactId: string; cursor?: string | undefined; limit: number },
): Promise<{ items: TimelineItem[]; nextCursor: string | null }> {
  const ids = await contactIdsOf(sql, input.contactId);
  const cursor = input.cursor ? decode(input.cursor) : null;
  const before = cursor
    ? sql`where (x.at, x.key) < (${cursor.at}::text::timestamptz, ${cursor.key})`
    : sql``;
  // Each source is limited before the union, so a long history never reads more than needed.
  // Each orders by (time, key) exactly as the page and the cursor do: rows of one instant (a
  // workflow task's steps share its clock) would otherwise be cut by the limit at random and
  // the rest never shown.
  const per = cursor
    ? (at: ReturnType<typeof sql>, key: ReturnType<typeof sql>) =>
        sql`and (${at}, ${key}) < (${cursor.at}::text::timestamptz, ${cursor.key})`
    : () => sql``;
  const limit = input.limit + 1;
  const rows = await sql<Row[]>`
    select x.*, to_char(x.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at from (
      (select 'event' as kind, e.occurred_at as at, 'e' || lpad(e.id::text, 20, '0') as key,
        jsonb_build_object('id', e.id::text, 'name', e.name, 'properties', e.properties, 'source', e.source)
          || case when e.name like 'email.%' then jsonb_build_object('emailSubject', (
               -- A CASE, so an id that is not a uuid (a test send's) is never cast.
               select m.subject from email_messages m
               where m.id = case
                 when e.properties->>'messageId' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                 then (e.properties->>'messageId')::uuid end))
             else '{}'::jsonb end
          -- An order attributed to an email (one probe of the attributions by event id).
          || coalesce((
               select jsonb_build_object('attributedTo', jsonb_build_object(
                 'messageId', m.id::text, 'subject', m.subject, 'templateId', m.template_id::text))
               from email_conversions c join email_messages m on m.id = c.message_id
               where c.event_id = e.id), '{}'::jsonb) as data
       from events e where e.contact_id = any(${ids}::uuid[])
         ${per(sql`e.occurred_at`, sql`'e' || lpad(e.id::text, 20, '0')`)}
       order by e.occurred_at desc, e.id desc limit ${limit})
      union all
      (select 'segment', g.at, 's' || lpad(g.id::text, 20, '0'),
        jsonb_build_object('id', g.id::text, 'segmentId', g.segment_id, 'segmentName', s.name,
          'change', g.change, 'cause', g.cause, 'fromMerged', g.contact_id <> ${ids[0] ?? input.contactId}::uuid)
       from segment_changes g join segments s on s.id = g.segment_id
       where g.contact_id = any(${ids}::uuid[])
         ${per(sql`g.at`, sql`'s' || lpad(g.id::text, 20, '0')`)}
       order by g.at desc, g.id desc limit ${limit})
      union all
      -- A step is placed when it was left (a wait when it ended), or entered while still there.
      (select 'journey_step', coalesce(st.left_at, st.entered_at), 'j' || r.id::text || lpad(st.seq::text, 10, '0'),
        jsonb_build_object('id', r.id::text || ':' || st.seq, 'runId', r.id, 'journeyId', r.journey_id,
          'journeyName', j.name, 'nodeId', st.node_id, 'nodeKind', st.kind, 'outcome', st.outcome, 'port', st.port,
          'enteredAt', st.entered_at, 'leftAt', st.left_at, 'entryKey', nullif(r.entry_key, ''),
          'entryKeyPath', (select n->'config'->>'entryKey'
                           from journey_versions v, jsonb_array_elements(v.document->'nodes') n
                           where v.id = r.version_id and n->>'kind' = 'trigger.event' limit 1),
          'workspaceId', r.workspace_id,
          -- The step's config, to word it (read for the rows kept only), in the version the run
          -- went through it on: a run moved to a new version while waiting waited the new wait,
          -- but its step's row keeps the version it was entered on. The version of the run's
          -- next step, or the run's own for its last, else the step's.
          'config', coalesce(
            (select n->'config' from journey_versions v, jsonb_array_elements(v.document->'nodes') n
             where v.id = coalesce(
               (select nx.version_id from run_steps nx
                where nx.run_id = st.run_id and nx.seq > st.seq order by nx.seq limit 1),
               r.version_id)
             and n->>'id' = st.node_id and n->>'kind' = st.kind limit 1),
            (select n->'config' from journey_versions v, jsonb_array_elements(v.document->'nodes') n
             where v.id = st.version_id and n->>'id' = st.node_id limit 1)))
       from journey_runs r join run_steps st on st.run_id = r.id join journeys j on j.id = r.journey_id
       where r.contact_id = any(${ids}::uuid[])
         ${per(sql`coalesce(st.left_at, st.entered_at)`, sql`'j' || r.id::text || lpad(st.seq::text, 10, '0')`)}
       order by coalesce(st.left_at, st.entered_at) desc, 'j' || r.id::text || lpad(st.seq::text, 10, '0') desc
       limit ${limit})
      union all
      (select 'message', coalesce(m.sent_at, m.created_at), 'm' || m.id::text,
        jsonb_build_object('id', m.id, 'subject', m.subject, 'status', m.status,
          'templateId', m.template_id, 'statusReason', m.status_reason,
          'templateName', (select t.name from email_templates t where t.id = m.template_id),
          'deferredUntil', m.deferred_until)
       from email_messages m where m.contact_id = any(${ids}::uuid[])
         ${per(sql`coalesce(m.sent_at, m.created_at)`, sql`'m' || m.id::text`)}
       order by coalesce(m.sent_at, m.created_at) desc, 'm' || m.id::text desc limit ${limit})
    ) x ${before}
    order by x.at desc, x.key desc limit ${limit}`;
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  const steps = page.filter((r) => r.kind === 'journey_step').map((r) => r.data as StepData);
  const words =
    steps.length > 0
      ? await describeSteps(
          sql,
          steps[0]!.workspaceId,
          steps.map((d) => ({ kind: d.nodeKind, config: d.config, port: d.port })),
        )
      : [];
  let worded = 0;
  return {
    items: page.map((r): TimelineItem => {
      if (r.kind !== 'journey_step') return { kind: r.kind, at: r.at, ...r.data } as TimelineItem;
      const { workspaceId: _workspaceId, config: _config, ...data } = r.data as StepData;
      return {
        kind: 'journey_step',
        at: r.at,
        ...data,
        // jsonb carries times as text.
        enteredAt: new Date(data.enteredAt),
        leftAt: data.leftAt === null ? null : new Date(data.leftAt),
        ...words[worded++]!,
      };
    }),
    nextCursor:
      rows.length > input.limit && last
        ? Buffer.from(JSON.stringify({ at: last.cursorAt, key: last.key })).toString('base64url')
        : null,
  };
}
