import type { Sql } from '@relance/db';
import type { MessageWorkspace } from './build-message';

const EVENT_ID = /^\d{1,19}$/;

/** What a message is rendered with besides the contact: `workspace.*`, `event.*`, segments. */
export type SendContext = {
  workspace: MessageWorkspace;
  /** The triggering event as Liquid sees it, or null. */
  event: Record<string, unknown> | null;
  /** Names of the segments the contact is in, for variants (`contact.segments contains "VIP"`). */
  segments: string[];
};

/** The columns sendContextColumns adds to a row. */
export type SendContextRow = {
  workspaceId: string;
  workspaceName: string;
  workspaceSlug: string;
  workspaceTimezone: string;
  workspaceCurrency: string;
  workspacePageLanguage: string | null;
  eventName: string | null;
  eventProperties: Record<string, unknown> | null;
  eventOccurredAt: Date | null;
  segments: string[];
};

type Fragment = ReturnType<Sql>;

/** The id of an event as the query should use it: a valid id, or null for anything else. */
export function eventIdOrNull(eventId: string | null | undefined): string | null {
  return eventId && EVENT_ID.test(eventId) ? eventId : null;
}

/**
 * The select-list columns of a send's context (SendContextRow), for a query that has the
 * workspace as `w`, the contact's id in `contactId` and the triggering event's in `eventId`
 * (each a fragment or a value): the send path reads them in the same statement as the send
 * policy's facts.
 */
export function sendContextColumns(
  sql: Sql,
  input: { contactId: Fragment | string | null; eventId?: Fragment | string | null },
) {
  const isFragment = (given: Fragment | string | null | undefined): given is Fragment =>
    typeof given === 'object' && given !== null;
  const contactId = isFragment(input.contactId) ? input.contactId : sql`${input.contactId}::uuid`;
  const eventId = isFragment(input.eventId)
    ? input.eventId
    : sql`${eventIdOrNull(input.eventId)}::bigint`;
  const event = (column: string) => sql`
    (select e.${sql(column)} from events e
     where e.id = ${eventId} and e.workspace_id = w.id)`;
  return sql`
    w.id as workspace_id, w.name as workspace_name, w.slug as workspace_slug,
    w.timezone as workspace_timezone, w.currency as workspace_currency,
    w.page_language as workspace_page_language,
    ${event('name')} as event_name, ${event('properties')} as event_properties,
    ${event('occurred_at')} as event_occurred_at,
    array(select s.name from segment_members m join segments s on s.id = m.segment_id
          where m.contact_id = ${contactId} order by s.name) as segments`;
}

/** The context from a row that selected sendContextColumns. */
export function sendContextOf(row: SendContextRow): SendContext {
  return {
    workspace: {
      id: row.workspaceId,
      name: row.workspaceName,
      slug: row.workspaceSlug,
      timezone: row.workspaceTimezone,
      // What `money` writes amounts in, and the language it writes them in for contacts without one.
      currency: row.workspaceCurrency,
      page_language: row.workspacePageLanguage,
    },
    // The event's own properties first, so `event.name` is always the event's name.
    event:
      row.eventName === null
        ? null
        : {
            ...row.eventProperties,
            name: row.eventName,
            occurred_at: row.eventOccurredAt?.toISOString() ?? null,
          },
    segments: row.segments,
  };
}

/** Reads the workspace, the triggering event and the contact's segment names in one statement. */
export async function loadSendContext(
  sql: Sql,
  input: { workspaceId: string; contactId: string | null; eventId?: string | null },
): Promise<SendContext> {
  const [row] = await sql<SendContextRow[]>`
    select ${sendContextColumns(sql, input)}
    from workspaces w where w.id = ${input.workspaceId}`;
  if (!row) return { workspace: { id: input.workspaceId }, event: null, segments: [] };
  return sendContextOf(row);
}
