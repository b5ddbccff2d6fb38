import { ApplicationFailure } from '@temporalio/activity';
import {
  applyTagChangeBatch,
  DataError,
  dispatchCommitted,
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
        result = await applyTagChangeBatch(deps.sql, {
          changeId,
          now: deps.now?.() ?? new Date(),
        });
      } catch (error) {
        // Refused for good (the tag came into use meanwhile): retrying would not change that.
        if (error instanceof DataError) throw ApplicationFailure.nonRetryable(error.message);
        throw error;
      }
      // Not running any more (it failed, or a retry finds it done): nothing left to do.
      if (!result) return { done: true, changed: 0 };
      if (deps.dispatcher) {
        await dispatchCommitted(
          deps.dispatcher,
          result.workspaceId,
          { changeIds: result.changeIds, contactIds: result.changedContactIds },
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
