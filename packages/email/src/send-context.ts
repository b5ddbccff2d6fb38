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

/** Reads the workspace, the triggering event and the contact's segment names in one round trip. */
export async function loadSendContext(
  sql: Sql,
  input: { workspaceId: string; contactId: string | null; eventId?: string | null },
): Promise<SendContext> {
  const eventId = input.eventId && EVENT_ID.test(input.eventId) ? input.eventId : null;
  const [workspaces, events, segments] = await Promise.all([
    sql<{ id: string; name: string; slug: string; timezone: string }[]>`
      select id, name, slug, timezone from workspaces where id = ${input.workspaceId}`,
    eventId
      ? sql<{ name: string; properties: Record<string, unknown>; occurredAt: Date }[]>`
          select name, properties, occurred_at from events
          where id = ${eventId}::bigint and workspace_id = ${input.workspaceId}`
      : [],
    input.contactId
      ? sql<{ name: string }[]>`
          select s.name from segment_members m join segments s on s.id = m.segment_id
          where m.contact_id = ${input.contactId} order by s.name`
      : [],
  ]);
  const event = events[0];
  return {
    workspace: workspaces[0] ?? { id: input.workspaceId },
    // The event's own properties first, so `event.name` is always the event's name.
    event: event
      ? { ...event.properties, name: event.name, occurred_at: event.occurredAt.toISOString() }
      : null,
    segments: segments.map((row) => row.name),
  };
}
