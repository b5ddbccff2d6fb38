import { countOf } from './format';
import type { ZoneTime } from './workspace';

/**
 * What the journeys could not be told yet (GET /api/journeys/dispatch-backlog); the worker
 * retries it. `pending` and `stuck` count everything; `dispatches` is the part Postgres failed:
 * facts (events, segment entries and exits, contact updates) not yet handed to the journeys.
 */
export interface DispatchBacklog {
  pending: number;
  stuck: number;
  oldestAt: string | null;
  dispatches: {
    dispatches: number;
    stuck: number;
    events: number;
    segmentChanges: number;
    contactChanges: number;
  };
}

/** "3 events, 1 segment entry or exit and 2 contact updates". */
function factsOf(d: DispatchBacklog['dispatches']): string {
  const facts = [
    d.events > 0 ? countOf(d.events, 'event') : null,
    d.segmentChanges > 0
      ? `${d.segmentChanges.toLocaleString('en')} ${d.segmentChanges === 1 ? 'segment entry or exit' : 'segment entries and exits'}`
      : null,
    d.contactChanges > 0 ? countOf(d.contactChanges, 'contact update') : null,
  ].filter((f) => f !== null);
  return facts.length > 1 ? `${facts.slice(0, -1).join(', ')} and ${facts.at(-1)}` : facts[0]!;
}

/**
 * "Up to date", or what waits to reach the journeys and since when (on the workspace's clock,
 * named): starts and signals waiting for Temporal, and facts the database failed to hand over.
 */
export function backlogText(backlog: DispatchBacklog, time: ZoneTime): string {
  const kept = backlog.dispatches;
  const forTemporal = backlog.pending + backlog.stuck - kept.dispatches;
  const stuckForTemporal = backlog.stuck - kept.stuck;
  if (forTemporal === 0 && kept.dispatches === 0) return 'Up to date';
  const parts: string[] = [];
  if (forTemporal > 0) {
    const stuck = stuckForTemporal > 0 ? ` (${stuckForTemporal} failing repeatedly)` : '';
    parts.push(
      `${forTemporal} journey ${forTemporal === 1 ? 'start or signal waits' : 'starts and signals wait'} for Temporal${stuck}`,
    );
  }
  if (kept.dispatches > 0) {
    const facts = factsOf(kept);
    const one = kept.events + kept.segmentChanges + kept.contactChanges === 1;
    const stuck = kept.stuck > 0 ? ' (failing repeatedly)' : '';
    parts.push(
      `${facts} ${one ? 'has' : 'have'} not reached the journeys yet: the database failed when ${one ? 'it was' : 'they were'} handed over${stuck}`,
    );
  }
  const since = backlog.oldestAt
    ? `, the oldest since ${time.dateTimeInZone(backlog.oldestAt)}`
    : '';
  return `${parts.join('; ')}${since}; the worker retries them`;
}

/** Retried on schedule: a warning; failing again and again: a problem. */
export function backlogTone(backlog: DispatchBacklog): 'ok' | 'warn' | 'bad' {
  if (backlog.stuck > 0) return 'bad';
  return backlog.pending > 0 ? 'warn' : 'ok';
}
