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

/** Reads the workspace, the triggering event and the contact's segment names in one statement. */
export async function loadSendContext(
  sql: Sql,
  input: { workspaceId: string; contactId: string | null; eventId?: string | null },
): Promise<SendContext> {
  const eventId = input.eventId && EVENT_ID.test(input.eventId) ? input.eventId : null;
  const event = (column: string) => sql`
    (select e.${sql(column)} from events e
     where e.id = ${eventId}::bigint and e.workspace_id = w.id)`;
  const [row] = await sql<
    {
      id: string;
      name: string;
      slug: string;
      timezone: string;
      eventName: string | null;
      eventProperties: Record<string, unknown> | null;
      eventOccurredAt: Date | null;
      segments: string[];
    }[]
  >`
    select w.id, w.name, w.slug, w.timezone,
           ${event('name')} as event_name, ${event('properties')} as event_properties,
           ${event('occurred_at')} as event_occurred_at,
           array(select s.name from segment_members m join segments s on s.id = m.segment_id
                 where m.contact_id = ${input.contactId}::uuid order by s.name) as segments
    from workspaces w where w.id = ${input.workspaceId}`;
  if (!row) return { workspace: { id: input.workspaceId }, event: null, segments: [] };
  const { eventName, eventProperties, eventOccurredAt, segments, ...workspace } = row;
  return {
    workspace,
    // The event's own properties first, so `event.name` is always the event's name.
    event:
      eventName === null
        ? null
        : {
            ...eventProperties,
            name: eventName,
            occurred_at: eventOccurredAt?.toISOString() ?? null,
          },
    segments,
  };
}
