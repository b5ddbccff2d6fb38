import { getEvent, getJourneyContact, type Sql } from '@relance/db';
import { plainLiquid } from '@relance/email/liquid';
import type { RunEntry } from '@relance/workflows/contracts';
import type { RunRef } from '@relance/workflows/journey-activities';

/** What Liquid sees in flow actions: `contact.*`, `event.*` (the trigger) and `workspace.*`. */
export type LiquidContext = {
  contact: Record<string, unknown>;
  event: Record<string, unknown> | null;
  workspace: Record<string, unknown>;
};

export async function loadLiquidContext(
  sql: Sql,
  run: RunRef,
  entry: RunEntry,
): Promise<LiquidContext> {
  const contact = await getJourneyContact(sql, run.workspaceId, run.contactId);
  const event = entry.kind === 'event' ? await getEvent(sql, entry.eventId) : undefined;
  const [workspace] = await sql<{ id: string; name: string; timezone: string }[]>`
    select id, name, timezone from workspaces where id = ${run.workspaceId}`;
  return {
    contact: contact
      ? {
          ...contact.properties,
          id: contact.id,
          email: contact.email,
          external_id: contact.externalId,
          tags: contact.tags,
          score: contact.score,
          timezone: contact.timezone,
          lifecycle_stage: contact.lifecycleStage,
        }
      : { id: run.contactId },
    event: event
      ? { ...event.properties, name: event.name, occurred_at: event.occurredAt.toISOString() }
      : null,
    workspace: workspace ?? { id: run.workspaceId },
  };
}

/** Renders Liquid as plain text (no HTML escaping): property values, URLs, webhook bodies. */
export async function renderText(source: string, context: LiquidContext): Promise<string> {
  if (!source.includes('{')) return source;
  return String(await plainLiquid.parseAndRender(source, context));
}
