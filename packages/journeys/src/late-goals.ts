import { evaluateCondition, findAttributableRuns, recordLateConversion } from '@relance/db';
import type { Condition } from '@relance/flow';
import type { RuntimeDeps } from './runtime-deps';

/**
 * Goal attribution after a run: a goal met within the journey's goal window after the run
 * ended still counts as that run's conversion (a goal met while the run goes on is handled by
 * the run itself). Checked whenever the contact's facts, events or segments change.
 */
export async function attributeLateGoals(
  deps: RuntimeDeps,
  workspaceId: string,
  contactIds: string[],
): Promise<number> {
  const now = deps.now();
  const runs = await findAttributableRuns(deps.sql, { workspaceId, contactIds, now });
  let converted = 0;
  for (const run of runs) {
    for (const goal of run.goals) {
      const result = await evaluateCondition(deps.sql, {
        workspaceId,
        contactId: run.contactId,
        condition: goal.condition as Condition,
        now,
        runId: run.id,
      });
      if (!result.matched) continue;
      const recorded = await recordLateConversion(deps.sql, {
        runId: run.id,
        goalNode: goal.nodeId,
        at: now,
        values: result.values,
      });
      if (recorded) converted += 1;
      break;
    }
  }
  return converted;
}
