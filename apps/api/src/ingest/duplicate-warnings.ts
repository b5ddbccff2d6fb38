import { isDeepStrictEqual } from 'node:util';
import type { IngestMessage, IngestOutcome, Sql } from '@relance/db';
import type { Issue } from '../errors';

/**
 * Warnings for a tracked message answered `duplicate` whose stored event is another one: a
 * messageId reused for a different event (`order-1042` for both the order and its refund)
 * silently keeps only the first. A resend of the same message (an SDK's retry) says nothing.
 * Only duplicates are read, one query per request that has any, so the hot path pays nothing.
 */
export function createDuplicateWarnings(deps: {
  sql: Sql;
}): (
  workspaceId: string,
  messages: readonly IngestMessage[],
  outcomes: readonly IngestOutcome[],
) => Promise<Issue[][]> {
  return async (workspaceId, messages, outcomes) => {
    const warnings = messages.map((): Issue[] => []);
    const reused = messages.flatMap((message, i) =>
      outcomes[i]?.status === 'duplicate' && message.type === 'track' && message.messageId
        ? [{ i, message, messageId: message.messageId }]
        : [],
    );
    if (reused.length === 0) return warnings;
    const stored = await deps.sql<
      { messageId: string; name: string; properties: Record<string, unknown> }[]
    >`
      select message_id, name, properties from events
      where workspace_id = ${workspaceId}
        and message_id = any(${[...new Set(reused.map((r) => r.messageId))]}::text[])`;
    const byId = new Map(stored.map((row) => [row.messageId, row]));
    for (const { i, message, messageId } of reused) {
      const first = byId.get(messageId);
      if (!first) continue;
      // Compared as PostgreSQL gives them back: jsonb drops nothing a message can hold but
      // key order, which isDeepStrictEqual ignores.
      const sent = JSON.parse(JSON.stringify(message.properties)) as unknown;
      if (first.name === message.event && isDeepStrictEqual(first.properties, sent)) continue;
      const what =
        first.name === message.event
          ? `the same ${first.name} with other properties`
          : `another event, ${first.name}`;
      warnings[i]!.push({
        field: 'messageId',
        message: `Already used by ${what}: this ${message.event} was not stored. A messageId names one message: give each its own (only a resend of the same message keeps it)`,
      });
    }
    return warnings;
  };
}
