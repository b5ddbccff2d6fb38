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
      /**
       * The run's event lacked that property (an order without an orderId): it is its own entry,
       * and `entryKey` is null.
       */
      keyedByEvent: boolean;
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
      /**
       * Set when the step was still open as its run ended (`failed`, `cancelled`): it was left
       * then, by no way out; its run's `ended` line says how.
       */
      runEnded: string | null;
    }
  | {
      /**
       * A journey run's entry (`change: 'entered'`, at `started_at`), or its end (`'ended'`, at
       * `ended_at`) when no step says it: a run that finished, was taken out or stopped by an
       * error. An exit condition's or a goal's end is said by the step it happened at.
       */
      kind: 'journey_run';
      at: Date;
      /** `<runId>:entered`, `<runId>:ended`. */
      id: string;
      runId: string;
      change: 'entered' | 'ended';
      journeyId: string;
      journeyName: string;
      entryKey: string | null;
      entryKeyPath: string | null;
      keyedByEvent: boolean;
      /**
       * What put the contact in (`journey_runs.entry`): an event (`name`), a segment entered or
       * left (`segmentId`, `change`), an enrolment by hand (`enrolmentId`: a bulk enrolment's,
       * null for one contact), a date (`key`, its local date).
       */
      trigger: { kind: 'event' | 'segment' | 'manual' | 'date' } & Record<string, unknown>;
      /** The segment of a segment trigger, by name; null once deleted. */
      segmentName: string | null;
      /** The trigger as the canvas words it ("On birthday", "When a contact places an order"). */
      triggerStep: string | null;
      /** The run's status now: how it ended, on an `ended` line. */
      status: 'active' | 'held' | 'completed' | 'exited' | 'converted' | 'failed' | 'cancelled';
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

/** A run's line as the query returns it, before its trigger is worded. */
type RunData = Omit<
  Extract<TimelineItem, { kind: 'journey_run' }>,
  'kind' | 'at' | 'triggerStep'
> & {
  workspaceId: string;
  triggerNode: { kind: string; config: unknown } | null;
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
 * A contact's events, segment enters/exits, journey runs' entries and ends, their steps and
 * messages, newest first, across
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
  // The key as the trigger read it: an event without the entry-key property is keyed by the event
  // (`$event:<id>`), which is no order number; a real value beginning with `$` was stored with
  // one more (the dispatcher's entryKeyOf).
  const entryKeyFields = sql`
    'entryKey', case when r.entry_key like '$$%' then substr(r.entry_key, 2)
                     when r.entry_key like '$%' then null else nullif(r.entry_key, '') end,
    'keyedByEvent', r.entry_key like '$event:%'`;
  // A run's line: its journey, what it is about and what put the contact in (the trigger node of
  // the run's version, to word a date trigger; the segment of a segment trigger, by name).
  const runLine = (change: ReturnType<typeof sql>) => sql`
    jsonb_build_object('id', r.id::text || ':' || ${change}, 'runId', r.id, 'change', ${change},
      'journeyId', r.journey_id, 'journeyName', j.name, ${entryKeyFields},
      'entryKeyPath', (select n->'config'->>'entryKey'
                       from journey_versions v, jsonb_array_elements(v.document->'nodes') n
                       where v.id = r.version_id and n->>'kind' = 'trigger.event' limit 1),
      'trigger', r.entry, 'status', r.status, 'workspaceId', r.workspace_id,
      'segmentName', (select s.name from segments s
                      where r.entry->>'kind' = 'segment' and s.id = case
                        when r.entry->>'segmentId' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                        then (r.entry->>'segmentId')::uuid end),
      'triggerNode', (select jsonb_build_object('kind', n->>'kind', 'config', n->'config')
                      from journey_versions v, jsonb_array_elements(v.document->'nodes') n
                      where v.id = r.version_id and n->>'kind' like 'trigger.%' limit 1))`;
  // Each contact's entries by its runs index (contact_id, started_at desc), newest first and no
  // more than a page: one range per contact (a merged person has a few), as `= any(...)` would
  // read all the person's runs to sort them. By the id after the time, which orders as the key.
  const entries = (ids.length > 0 ? ids : [input.contactId])
    .map(
      (id) => sql`
        (select 'journey_run', r.started_at, 'i' || r.id::text, ${runLine(sql`'entered'`)}
         from journey_runs r join journeys j on j.id = r.journey_id
         where r.contact_id = ${id}::uuid ${per(sql`r.started_at`, sql`'i' || r.id::text`)}
         order by r.started_at desc, r.id desc limit ${limit})`,
    )
    .reduce((all, one) => sql`${all} union all ${one}`);
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
          'enteredAt', st.entered_at, 'leftAt', st.left_at, ${entryKeyFields},
          'runEnded', st.why->>'runEnded',
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
      -- A run's entry. Its key sorts below its steps' ('i' < 'j'): a first step entered at the
      -- same instant reads after it.
      ${entries}
      union all
      -- A run's end no step says (an exit condition's and a goal's are their steps'), above its
      -- last step ('k' > 'j'). No index orders runs by their end: the contact's runs are read by
      -- the same index and the newest ends kept, as the steps above are.
      (select 'journey_run', r.ended_at, 'k' || r.id::text, ${runLine(sql`'ended'`)}
       from journey_runs r join journeys j on j.id = r.journey_id
       where r.contact_id = any(${ids}::uuid[]) and r.ended_at is not null
         and r.status in ('completed', 'failed', 'cancelled')
         ${per(sql`r.ended_at`, sql`'k' || r.id::text`)}
       order by r.ended_at desc, r.id desc limit ${limit})
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
  const runs = page.filter((r) => r.kind === 'journey_run').map((r) => r.data as RunData);
  const workspaceId = steps[0]?.workspaceId ?? runs[0]?.workspaceId;
  // The steps and the runs' triggers in one pass, the steps first.
  const words =
    workspaceId !== undefined
      ? await describeSteps(sql, workspaceId, [
          ...steps.map((d) => ({ kind: d.nodeKind, config: d.config, port: d.port })),
          ...runs.map((d) => ({ kind: d.triggerNode?.kind ?? '', config: d.triggerNode?.config })),
        ])
      : [];
  let worded = 0;
  let runsWorded = steps.length;
  return {
    items: page.map((r): TimelineItem => {
      if (r.kind === 'journey_run') {
        const { workspaceId: _workspaceId, triggerNode, ...data } = r.data as RunData;
        const trigger = words[runsWorded++]!;
        return {
          kind: 'journey_run',
          at: r.at,
          ...data,
          triggerStep: triggerNode ? trigger.step : null,
        };
      }
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
