import { availableParallelism } from 'node:os';
import {
  ingestMessages,
  KnownContacts,
  type IngestMessage,
  type IngestOutcome,
  type Sql,
} from '@relance/db';
import type { Settler } from './settler';

/** Some messages of one request, written by one lane. */
interface Part {
  workspaceId: string;
  messages: IngestMessage[];
  resolve: (outcomes: IngestOutcome[]) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** How long the first request of a group waits for others (ms). */
  maxDelayMs?: number;
  /** Messages per transaction at most. */
  maxMessages?: number;
  /** Lanes, each writing one transaction at a time (default: one per core, at least 2). */
  lanes?: number;
}

// FNV-1a: a cheap, stable spread of identities over lanes.
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const identityKey = (m: IngestMessage) =>
  m.identity.userId ?? m.identity.anonymousId ?? m.identity.email ?? '';

/**
 * Server-side group commit: requests arriving within a few milliseconds share one transaction,
 * so a thousand one-event requests cost a few commits, not a thousand. Each request is
 * answered once the transactions holding its messages committed.
 *
 * Messages go to lanes by identity, and each lane writes one transaction at a time: the rollup
 * rows of one contact are only ever upserted by one lane, so concurrent transactions do not
 * queue behind each other's row locks (with shared lanes they did, and throughput halved). A
 * request of tracks is split over the lanes; a request with an identify stays in one lane, so
 * its messages apply in order. If a shared transaction fails, its requests are retried one by
 * one, so one bad request cannot fail its neighbours.
 */
export function createGroupCommit(
  deps: { sql: Sql; settler: Settler; now: () => Date },
  options: GroupCommitOptions = {},
) {
  const maxDelayMs = options.maxDelayMs ?? 3;
  const maxMessages = options.maxMessages ?? 500;
  // Tracks of users this process has seen skip identity resolution.
  const known = new KnownContacts();

  async function write(workspaceId: string, parts: Part[]) {
    const messages = parts.flatMap((p) => p.messages);
    const result = await ingestMessages(deps.sql, workspaceId, messages, {
      now: deps.now(),
      known,
    });
    let offset = 0;
    for (const p of parts) {
      p.resolve(result.outcomes.slice(offset, offset + p.messages.length));
      offset += p.messages.length;
    }
    deps.settler.committed(workspaceId, result);
  }

  async function writeGroup(group: Part[]) {
    const byWorkspace = new Map<string, Part[]>();
    for (const p of group)
      byWorkspace.set(p.workspaceId, [...(byWorkspace.get(p.workspaceId) ?? []), p]);
    for (const [workspaceId, parts] of byWorkspace) {
      try {
        await write(workspaceId, parts);
      } catch (error) {
        if (parts.length === 1) {
          parts[0]!.reject(error);
          continue;
        }
        for (const p of parts) await write(workspaceId, [p]).catch(p.reject);
      }
    }
  }

  // A lane's transaction is one PostgreSQL backend's work: more lanes than cores only shrink
  // each group (more statements for the same events) and queue behind each other for CPU.
  // Measured on 2 cores, one run each, against 8 lanes: one-event requests 0.65–0.78× the bare
  // insert instead of 0.55–0.57×, batches of 100 0.34–0.39× instead of 0.28–0.32×.
  const lanes = Array.from({ length: options.lanes ?? Math.max(2, availableParallelism()) }, () =>
    createLane(writeGroup, { maxDelayMs, maxMessages }),
  );
  const laneOf = (workspaceId: string, m: IngestMessage) =>
    lanes[hash(`${workspaceId}\u0000${identityKey(m)}`) % lanes.length]!;

  return {
    /** Stores a request's messages; resolves with one outcome per message after the commit. */
    submit(workspaceId: string, messages: IngestMessage[]): Promise<IngestOutcome[]> {
      const split = messages.every((m) => m.type === 'track');
      if (!split || messages.length === 1) {
        return laneOf(workspaceId, messages[0]!).submit(workspaceId, messages);
      }
      const byLane = new Map<Lane, number[]>();
      messages.forEach((m, i) => {
        const lane = laneOf(workspaceId, m);
        byLane.set(lane, [...(byLane.get(lane) ?? []), i]);
      });
      const outcomes: IngestOutcome[] = new Array<IngestOutcome>(messages.length);
      return Promise.all(
        [...byLane].map(async ([lane, indexes]) => {
          const written = await lane.submit(
            workspaceId,
            indexes.map((i) => messages[i]!),
          );
          indexes.forEach((i, k) => (outcomes[i] = written[k]!));
        }),
      ).then(() => outcomes);
    },
    /** Requests not yet written (tests, shutdown). */
    get pending() {
      return lanes.reduce((n, lane) => n + lane.pending, 0);
    },
    /** Drops queued requests with an error (shutdown). */
    close(reason: Error) {
      for (const lane of lanes) lane.close(reason);
    },
  };
}

type Lane = ReturnType<typeof createLane>;

/** A queue that writes one group at a time: after `maxDelayMs`, or at once when full. */
function createLane(
  writeGroup: (group: Part[]) => Promise<void>,
  options: { maxDelayMs: number; maxMessages: number },
) {
  let queue: Part[] = [];
  let queued = 0;
  let writing = false;
  let timer: ReturnType<typeof setTimeout> | null = null;

  function take(): Part[] {
    const group: Part[] = [];
    let size = 0;
    while (
      queue.length > 0 &&
      (group.length === 0 || size + queue[0]!.messages.length <= options.maxMessages)
    ) {
      const p = queue.shift()!;
      group.push(p);
      size += p.messages.length;
    }
    queued -= size;
    return group;
  }

  async function flush() {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    writing = true;
    await writeGroup(take());
    writing = false;
    // What queued meanwhile has already waited a whole transaction: write it now.
    if (queue.length > 0) void flush();
  }

  return {
    submit(workspaceId: string, messages: IngestMessage[]): Promise<IngestOutcome[]> {
      return new Promise((resolve, reject) => {
        queue.push({ workspaceId, messages, resolve, reject });
        queued += messages.length;
        if (writing) return;
        if (queued >= options.maxMessages) void flush();
        else if (!timer) timer = setTimeout(() => void flush(), options.maxDelayMs);
      });
    },
    get pending() {
      return queue.length;
    },
    close(reason: Error) {
      const dropped = queue;
      queue = [];
      queued = 0;
      for (const p of dropped) p.reject(reason);
    },
  };
}
