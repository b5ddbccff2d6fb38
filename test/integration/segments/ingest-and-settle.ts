import { expect } from 'vitest';
import { ingestMessages, settleContacts, type IngestMessage } from '@relance/db';
import type { TestDatabase } from '../../support/db';

/**
 * Records the events and settles their contacts as ingestion does (scoped to the new events);
 * every message must be accepted. Returns the contacts they went to.
 */
export async function ingestAndSettle(
  db: TestDatabase,
  now: Date,
  messages: IngestMessage[],
): Promise<string[]> {
  const result = await ingestMessages(db.sql, db.workspaceId, messages, { now });
  expect(result.outcomes.every((o) => o.status === 'accepted')).toBe(true);
  await settleContacts(db.sql, {
    workspaceId: db.workspaceId,
    contactIds: result.contactIds,
    now,
    cause: 'ingest',
    changed: { events: result.eventsByContact, everything: result.changedContactIds },
  });
  return result.contactIds;
}
