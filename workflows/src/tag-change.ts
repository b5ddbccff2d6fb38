// Renaming or deleting a tag across the workspace: a batch iterator like the bulk enrolment.
// Each batch is one activity that changes the tag on up to 1,000 contacts, re-evaluates their
// segments, hands the changes to journeys and adds its count to the change's row in Postgres,
// where the tags page reads the progress. Started by the API with an id from the change, so it
// goes on to the end whether or not the page that asked stays open; continues as new long
// before its history grows large. A batch refused for good (a segment started using the tag
// meanwhile) ends the change as failed, with the reason.

import {
  ActivityFailure,
  ApplicationFailure,
  continueAsNew,
  proxyActivities,
  workflowInfo,
} from '@temporalio/workflow';

export interface TagChangeInput {
  changeId: string;
  /** Batches done by earlier executions (continue-as-new). */
  batches?: number;
}

/** Implemented in activities/src/tags.ts. */
export interface TagChangeActivities {
  /** Changes the tag on the next contacts; `done` once no contact has it. */
  applyTagChangeBatch(input: { changeId: string }): Promise<{ done: boolean; changed: number }>;
  /** Ends the change as failed, with the reason. */
  failTagChange(input: { changeId: string; reason: string }): Promise<void>;
}

/** One workflow per change. */
export const tagChangeWorkflowId = (changeId: string) => `tag-change:${changeId}`;

/** Batches per execution: each costs about six history events. */
const BATCHES_PER_EXECUTION = 200;

const { applyTagChangeBatch } = proxyActivities<TagChangeActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
const { failTagChange } = proxyActivities<TagChangeActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** Runs the change's batches until no contact has the tag; `failed` when one is refused. */
export async function tagChange(input: TagChangeInput): Promise<'done' | 'failed'> {
  let batches = input.batches ?? 0;
  for (let here = 0; ; here++) {
    if (here >= BATCHES_PER_EXECUTION || workflowInfo().continueAsNewSuggested) {
      return continueAsNew<typeof tagChange>({ ...input, batches });
    }
    try {
      const { done } = await applyTagChangeBatch({ changeId: input.changeId });
      batches += 1;
      if (done) return 'done';
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      const reason =
        error.cause instanceof ApplicationFailure ? error.cause.message : error.message;
      await failTagChange({ changeId: input.changeId, reason });
      return 'failed';
    }
  }
}
