import { ApplicationFailure } from '@temporalio/activity';
import {
  applyTagChangeBatch,
  DataError,
  committedBy,
  dispatchFromOutbox,
  failTagChange,
  type JourneyDispatcher,
  type Sql,
} from '@relance/db';
import type { TagChangeActivities } from '@relance/workflows/tag-change';

export interface TagActivityDeps {
  sql: Sql;
  /** The journey runtime; without one, changes stay in the change log undelivered. */
  dispatcher?: Pick<JourneyDispatcher, 'segmentsChanged' | 'contactsChanged'> | undefined;
  now?: () => Date;
  log?: (line: string) => void;
}

/** A tag's rename or deletion, batch by batch (workflows/src/tag-change.ts). */
export function createTagActivities(deps: TagActivityDeps) {
  const log = deps.log ?? ((line: string) => console.error(line));
  return {
    async applyTagChangeBatch({ changeId }) {
      let result;
      try {
        // With a dispatcher, the batch keeps its facts in the journey outbox until dispatched:
        // a retry after a worker stopped applies the next batch, never this one again.
        result = await applyTagChangeBatch(deps.sql, {
          changeId,
          now: deps.now?.() ?? new Date(),
          outbox: deps.dispatcher !== undefined,
        });
      } catch (error) {
        // Refused for good (the tag came into use meanwhile): retrying would not change that.
        if (error instanceof DataError) throw ApplicationFailure.nonRetryable(error.message);
        throw error;
      }
      // Not running any more (it failed, or a retry finds it done): nothing left to do.
      if (!result) return { done: true, changed: 0 };
      if (deps.dispatcher) {
        await dispatchFromOutbox(
          deps.sql,
          deps.dispatcher,
          result.workspaceId,
          committedBy(result),
          log,
        );
      }
      return { done: result.done, changed: result.changed };
    },
    async failTagChange({ changeId, reason }) {
      await failTagChange(deps.sql, changeId, reason);
    },
  } satisfies TagChangeActivities;
}
