import {
  findEventsByIds,
  findListeningRuns,
  findSegmentChangesByIds,
  findTriggeredVersions,
  type DispatchMethod,
  type JourneyDispatcher,
} from '@relance/db';
import { getPath, matchesFilter } from '@relance/flow/runtime';
import { SIGNALS, type RunNotification } from '@relance/workflows/contracts';
import { attributeLateGoals } from './late-goals';
import { messageOf, type RuntimeDeps } from './runtime-deps';
import { signalRuns, type RunSignal } from './signal-runs';
import { startRuns, type RunRequest } from './start-runs';
import { keepDispatch, undeliveredCollector } from './undelivered';

/** How the entry key of an event lacking the entry-key property begins (timeline.ts reads it). */
const EVENT_KEY_PREFIX = '$event:';

/**
 * The key a run of an event trigger is admitted under: null when the trigger has no entry key;
 * else the event's value at that path ("One journey per: orderId"). An event without a usable
 * value is an entry of its own, keyed by the event (`$event:<event id>`): keying it by '' made a
 * contact's first order without an orderId the only one, ever, and every later one start
 * nothing. A replay of that event (the same id) still finds its run. Real values that begin
 * with `$` take one more, so none can be read as an event's key (`$$5` is the value `$5`).
 */
function entryKeyOf(
  event: { id: string; properties: unknown },
  path: string | null,
): string | null {
  if (path === null) return null;
  const value = getPath(event.properties, path);
  const text =
    typeof value === 'string' && value !== ''
      ? value
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : null;
  if (text === null) return `${EVENT_KEY_PREFIX}${event.id}`;
  return text.startsWith('$') ? `$${text}` : text;
}

function notifySignal(workflowId: string, notification: RunNotification): RunSignal {
  return { workflowId, name: SIGNALS.notify, args: [notification] };
}

/**
 * Signals first — a run started now already reads these facts from Postgres — then starts.
 * What Temporal does not take is kept for redelivery.
 */
async function deliver(
  deps: RuntimeDeps,
  workspaceId: string,
  signals: readonly RunSignal[],
  requests: readonly RunRequest[],
): Promise<void> {
  const undelivered = undeliveredCollector(deps, workspaceId);
  await signalRuns(deps, signals, undelivered.signalFailed);
  await startRuns(deps, requests, undelivered.startFailed);
  await undelivered.keep();
}

/**
 * A dispatch that failed on every attempt and could not be kept for the worker either (Postgres
 * is down): what it was about, and both reasons. Nothing else remembers it.
 */
export class DispatchFailed extends Error {
  constructor(what: string, attempts: number, cause: unknown, keeping: unknown) {
    super(
      `could not start or wake the runs for ${what} after ${attempts} attempts: ` +
        `${messageOf(cause)}; nor keep them for the worker to retry: ${messageOf(keeping)}. ` +
        `Runs these should have started were not started; waiting runs were not woken ` +
        `(a wait still looks for itself at its deadline)`,
      { cause },
    );
    this.name = 'DispatchFailed';
  }
}

const NOUNS: Record<DispatchMethod, string> = {
  eventsRecorded: 'event',
  segmentsChanged: 'segment change',
  contactsChanged: 'changed contact',
};

/** "3 events (12…40) of workspace W", for the logs. */
export const described = (ids: readonly string[], method: DispatchMethod, workspaceId: string) =>
  `${ids.length} ${NOUNS[method]}${ids.length === 1 ? '' : 's'} (${ids[0]}${ids.length > 1 ? `…${ids.at(-1)}` : ''}) of workspace ${workspaceId}`;

/**
 * Runs one dispatch, again after each of `deps.dispatchRetryMs` while it throws. What throws here
 * is Postgres (a dropped connection, a failover, a statement timeout): Temporal's refusals are
 * kept for redelivery without throwing. Running a dispatch again is safe: a start from an entry
 * a run already began from is skipped, a signal only makes a run look at Postgres again, and a
 * late goal is recorded once. When every attempt threw, the call is kept for the worker's
 * redelivery loop; `DispatchFailed` is thrown only when Postgres does not take that either.
 */
async function withRetries(
  deps: RuntimeDeps,
  method: DispatchMethod,
  workspaceId: string,
  ids: string[],
  dispatch: (workspaceId: string, ids: string[]) => Promise<void>,
): Promise<void> {
  const what = () => described(ids, method, workspaceId);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await dispatch(workspaceId, ids);
    } catch (error) {
      const wait = deps.dispatchRetryMs[attempt - 1];
      if (wait === undefined) {
        try {
          await keepDispatch(deps, { workspaceId, method, ids, error: messageOf(error) });
        } catch (keeping) {
          throw new DispatchFailed(what(), attempt, error, keeping);
        }
        deps.log(
          `journeys: could not start or wake the runs for ${what()} after ${attempt} attempts ` +
            `(${messageOf(error)}); kept, the worker tries again (Settings → Journey deliveries)`,
        );
        return;
      }
      deps.log(
        `journeys: could not start or wake the runs for ${what()} (${messageOf(error)}); trying again in ${wait / 1000} s`,
      );
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/**
 * The journey runtime's side of the dispatch contract: after events, segment changes or contact
 * changes are committed, start the runs they trigger and wake the runs that listen for them.
 * A start or signal Temporal does not take is kept in Postgres for the worker's redelivery loop,
 * not thrown: the facts are committed and the caller's request must not fail because a run
 * could not be told yet. A dispatch that throws (Postgres) is tried again a few seconds later,
 * then kept for the same loop; only if keeping it fails too does `DispatchFailed` say what was
 * missed.
 */
export function createDispatcher(deps: RuntimeDeps): JourneyDispatcher {
  const once = createOneAttemptDispatcher(deps);
  const retried =
    (method: DispatchMethod) =>
    (workspaceId: string, ids: string[]): Promise<void> =>
      withRetries(deps, method, workspaceId, ids, (w, i) => once[method](w, i));
  return {
    eventsRecorded: retried('eventsRecorded'),
    segmentsChanged: retried('segmentsChanged'),
    contactsChanged: retried('contactsChanged'),
  };
}

/** One attempt at each dispatch (the redelivery loop has its own backoff). */
export function createOneAttemptDispatcher(deps: RuntimeDeps): JourneyDispatcher {
  return {
    async eventsRecorded(workspaceId, eventIds) {
      const recorded = await findEventsByIds(deps.sql, { workspaceId, ids: eventIds });
      if (recorded.length === 0) return;
      const now = deps.now().getTime();
      // History (a replay from another tool, an import, a device that was offline too long)
      // is stored and counted in segments, but starts no journey and wakes no run: nobody
      // should get "thanks for your order" about an order from years ago.
      const events = recorded.filter((e) => now - e.occurredAt.getTime() <= deps.eventMaxAgeMs);
      const names = [...new Set(events.map((e) => e.name))];

      const requests: RunRequest[] = [];
      const versions =
        names.length === 0
          ? []
          : await findTriggeredVersions(deps.sql, { workspaceId, events: names });
      for (const version of versions) {
        const trigger = version.trigger;
        if (trigger.kind !== 'trigger.event') continue;
        for (const event of events) {
          if (event.name !== trigger.config.event) continue;
          const where = trigger.config.where;
          if (where && !matchesFilter(where, event.properties, { now })) continue;
          const key = entryKeyOf(event, trigger.config.entryKey);
          requests.push({
            journeyId: version.journeyId,
            versionId: version.versionId,
            entryPolicy: version.entryPolicy,
            contactId: event.contactId,
            entryKey: key,
            entry: { kind: 'event', eventId: event.id, name: event.name, key },
          });
        }
      }

      const contactIds = [...new Set(events.map((e) => e.contactId))];
      const listening =
        events.length === 0
          ? []
          : await findListeningRuns(deps.sql, { workspaceId, contactIds, events: names });
      const signals = listening.flatMap((run) =>
        events
          .filter((e) => e.contactId === run.contactId && run.events.includes(e.name))
          .map((e) => notifySignal(run.workflowId, { kind: 'event', eventId: e.id, name: e.name })),
      );
      await deliver(deps, workspaceId, signals, requests);
      await attributeLateGoals(deps, workspaceId, [...new Set(recorded.map((e) => e.contactId))]);
    },

    async segmentsChanged(workspaceId, changeIds) {
      const changes = await findSegmentChangesByIds(deps.sql, { workspaceId, ids: changeIds });
      if (changes.length === 0) return;
      const segmentIds = [...new Set(changes.map((c) => c.segmentId))];
      // A contact merged into another no longer moves in or out of segments: the memberships it
      // loses in the merge are bookkeeping, and the survivor's own changes (made by the merge's
      // settle) say where the person is now. So its changes start nothing, for it or for the
      // survivor; they only wake the runs it had, which the merge gave to the survivor and which
      // re-check the survivor's facts.
      const starting = changes.filter((c) => c.contactId === c.survivorId);

      const requests: RunRequest[] = [];
      for (const version of await findTriggeredVersions(deps.sql, { workspaceId, segmentIds })) {
        const trigger = version.trigger;
        if (
          trigger.kind !== 'trigger.segment_entered' &&
          trigger.kind !== 'trigger.segment_exited'
        ) {
          continue;
        }
        const wanted = trigger.kind === 'trigger.segment_entered' ? 'entered' : 'exited';
        for (const change of starting) {
          if (change.segmentId !== trigger.config.segmentId || change.change !== wanted) continue;
          requests.push({
            journeyId: version.journeyId,
            versionId: version.versionId,
            entryPolicy: version.entryPolicy,
            contactId: change.contactId,
            entryKey: null,
            entry: {
              kind: 'segment',
              changeId: change.id,
              segmentId: change.segmentId,
              change: change.change,
            },
          });
        }
      }

      const contactIds = [...new Set(changes.flatMap((c) => [c.contactId, c.survivorId]))];
      const listening = await findListeningRuns(deps.sql, { workspaceId, contactIds, segmentIds });
      const signals = listening.flatMap((run) =>
        changes
          .filter(
            (c) =>
              (c.contactId === run.contactId || c.survivorId === run.contactId) &&
              run.segments.includes(c.segmentId),
          )
          .map((c) =>
            notifySignal(run.workflowId, {
              kind: 'segment',
              changeId: c.id,
              segmentId: c.segmentId,
              change: c.change,
            }),
          ),
      );
      await deliver(deps, workspaceId, signals, requests);
      await attributeLateGoals(deps, workspaceId, [...new Set(changes.map((c) => c.survivorId))]);
    },

    async contactsChanged(workspaceId, contactIds) {
      const listening = await findListeningRuns(deps.sql, {
        workspaceId,
        contactIds: [...new Set(contactIds)],
        contact: true,
      });
      const signals = listening.map((run) => notifySignal(run.workflowId, { kind: 'contact' }));
      await deliver(deps, workspaceId, signals, []);
      await attributeLateGoals(deps, workspaceId, [...new Set(contactIds)]);
    },
  };
}
