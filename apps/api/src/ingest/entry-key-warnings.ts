import type { IngestMessage, Sql } from '@relance/db';
import { getPath, matchesFilter, type EventFilter } from '@relance/flow/runtime';
import type { Issue } from '../errors';
import { workspaceWarnings, type WarningsFor } from './workspace-warnings';

/** How long a workspace's live entry keys are reused before they are read again. */
export const ENTRY_KEYS_TTL_MS = 30_000;

interface KeyedTrigger {
  journeyName: string;
  event: string;
  path: string;
  filter: EventFilter | null;
}

/**
 * Warnings for a tracked event that lacks the property a live journey's trigger on it keys its
 * runs by ("One journey per: orderId"): the event is stored and starts a run of its own, but a
 * developer sending orders without an orderId should hear that each one counts as a new order.
 * A workspace's keyed triggers are read once per `ttlMs` (one query), never per request.
 */
export function createEntryKeyWarnings(deps: {
  sql: Sql;
  now: () => Date;
  ttlMs?: number;
}): WarningsFor {
  return workspaceWarnings({
    now: deps.now,
    ttlMs: deps.ttlMs ?? ENTRY_KEYS_TTL_MS,
    load: async (workspaceId) => [
      ...(await deps.sql<KeyedTrigger[]>`
        select j.name as journey_name, v.plan->'trigger'->'config'->>'event' as event,
          v.plan->'trigger'->'config'->>'entryKey' as path,
          v.plan->'trigger'->'config'->'where' as filter
        from journeys j join journey_versions v on v.id = j.live_version_id
        where j.workspace_id = ${workspaceId} and j.status = 'active'
          and v.plan->'trigger'->>'kind' = 'trigger.event'
          and v.plan->'trigger'->'config'->>'entryKey' is not null
        order by j.name`),
    ],
    check,
  });

  function check(keyed: KeyedTrigger[], message: IngestMessage): Issue[] {
    if (message.type !== 'track') return [];
    const triggers = keyed.filter((t) => t.event === message.event);
    if (triggers.length === 0) return [];
    const now = deps.now().getTime();
    const byPath = new Map<string, string[]>();
    for (const t of triggers) {
      if (t.filter && !matchesFilter(t.filter, message.properties, { now })) continue;
      if (usableKey(getPath(message.properties, t.path))) continue;
      byPath.set(t.path, [...(byPath.get(t.path) ?? []), t.journeyName]);
    }
    return [...byPath].map(([path, journeys]) => ({
      field: `properties.${path}`,
      message:
        `The event has no ${path}: each such ${message.event} starts its own run of ` +
        `${journeys.map((name) => `"${name}"`).join(', ')}, which is one per ${path}`,
    }));
  }
}

/** As the dispatcher reads an entry key: a non-empty text, a number or true/false. */
const usableKey = (value: unknown) =>
  (typeof value === 'string' && value !== '') ||
  typeof value === 'number' ||
  typeof value === 'boolean';
