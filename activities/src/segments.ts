import { Context } from '@temporalio/activity';
import {
  committedBy,
  dispatchFromOutbox,
  dispatchRecheckStepFromOutbox,
  endSettingsRecheck,
  reconcileSegments,
  resumeAbandonedSettingsRechecks,
  runSettingsRecheck,
  tickSegments,
  type JourneyDispatcher,
  type RecheckStep,
  type Sql,
} from '@relance/db';
import type { SegmentTickActivities } from '@relance/workflows/segment-tick';
import type { SettingsRecheckActivities } from '@relance/workflows/settings-recheck';

export interface SegmentActivityDeps {
  sql: Sql;
  /** The journey runtime; without one, changes stay in the change log undelivered. */
  dispatcher?: Pick<JourneyDispatcher, 'segmentsChanged' | 'contactsChanged'> | undefined;
  log?: (line: string) => void;
  now?: () => Date;
}

/** How often a long re-check tells Temporal it is alive (the workflows allow a minute). */
const HEARTBEAT_MS = 10_000;

/**
 * Runs `work` (a whole-base re-check: a minute or more at a million contacts) heartbeating, so
 * that a worker that died in it is noticed within the heartbeat timeout and the activity retried
 * elsewhere, not only at its 30-minute limit.
 */
async function heartbeating<T>(work: () => Promise<T>): Promise<T> {
  const context = Context.current();
  const timer = setInterval(() => context.heartbeat(), HEARTBEAT_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/**
 * The segment clock's activities (the tick and the reconciliation) and the re-check after a saved
 * setting, each dispatching what changed.
 */
export function createSegmentActivities(deps: SegmentActivityDeps) {
  const log = deps.log ?? ((line: string) => console.error(line));
  return {
    async segmentTick({ now }) {
      // With a dispatcher, each tick transaction keeps its changes in the journey outbox until
      // they are dispatched: a worker stopped in between leaves them to the redelivery loop.
      const reports = await tickSegments(deps.sql, {
        now: new Date(now),
        outbox: deps.dispatcher !== undefined,
      });
      for (const r of reports) {
        if (!deps.dispatcher) continue;
        await dispatchFromOutbox(deps.sql, deps.dispatcher, r.workspaceId, committedBy(r), log);
      }
      return {
        workspaces: reports.length,
        candidates: reports.reduce((n, r) => n + r.candidates, 0),
        changes: reports.reduce((n, r) => n + r.changeIds.length, 0),
      };
    },

    async segmentReconcile({ now }) {
      const { dispatcher } = deps;
      // Each repaired step reaches the journeys as soon as it commits.
      // Each step keeps its changes in the journey outbox until they were dispatched: a worker
      // stopped in between leaves them to the redelivery loop.
      const onStep = dispatcher
        ? async (workspaceId: string, step: RecheckStep) => {
            await dispatchRecheckStepFromOutbox(deps.sql, dispatcher, workspaceId, step, log);
          }
        : undefined;
      const outbox = dispatcher !== undefined;
      const resumed = await heartbeating(() =>
        resumeAbandonedSettingsRechecks(deps.sql, { now: new Date(now), onStep, outbox }),
      );
      if (resumed.length > 0) {
        log(`ran ${resumed.length} re-check(s) of saved settings whose workflow never started`);
      }
      const reports = await heartbeating(() =>
        reconcileSegments(deps.sql, { now: new Date(now), onStep, outbox }),
      );
      for (const r of reports) {
        if (r.scoresChanged > 0 || r.segments.length > 0) {
          log(
            `segment reconciliation of workspace ${r.workspaceId} fixed ${r.scoresChanged} scores and ${
              r.segments.map((s) => `${s.segmentId} (+${s.entered} −${s.exited})`).join(', ') ||
              'no segments'
            }`,
          );
        }
      }
      return {
        workspaces: reports.length,
        scoresFixed: reports.reduce((n, r) => n + r.scoresChanged, 0),
        segmentsFixed: reports.flatMap((r) =>
          r.segments.map((s) => ({ workspaceId: r.workspaceId, ...s })),
        ),
      };
    },

    async runSettingsRecheck({ recheckId }) {
      const { dispatcher } = deps;
      await heartbeating(() =>
        runSettingsRecheck(deps.sql, {
          recheckId,
          now: deps.now?.() ?? new Date(),
          onStep: dispatcher
            ? async (workspaceId, step) => {
                await dispatchRecheckStepFromOutbox(deps.sql, dispatcher, workspaceId, step, log);
              }
            : undefined,
          outbox: dispatcher !== undefined,
        }),
      );
    },

    async failSettingsRecheck({ recheckId, reason }) {
      await endSettingsRecheck(deps.sql, recheckId, reason);
    },
  } satisfies SegmentTickActivities & SettingsRecheckActivities;
}
