// Bulk enrolment ("enrol the 200,000 current members of segment S"): a batch iterator, not one
// giant loop. Each batch is one activity that starts runs through the dispatcher (entry policy
// and business-key ids apply as for any trigger) and records progress in Postgres; the workflow
// paces batches to the requested rate and continues as new long before its history grows large.

import {
  continueAsNew,
  defineQuery,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { QUERIES, type BulkEnrolmentInput, type EnrolmentProgress } from './contracts';
import type { JourneyActivities } from './journey-activities';

export const enrolmentProgressQuery = defineQuery<EnrolmentProgress>(QUERIES.enrolment);

/** Batches per execution: each costs about six history events. */
const BATCHES_PER_EXECUTION = 200;

const { enrolBatch } = proxyActivities<Pick<JourneyActivities, 'enrolBatch'>>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Enrols the members of the enrolment's source at no more than `ratePerSecond`. */
export async function bulkEnrolment(input: BulkEnrolmentInput): Promise<EnrolmentProgress> {
  let progress: EnrolmentProgress = input.progress ?? {
    processed: 0,
    started: 0,
    skipped: 0,
    cursor: null,
    done: false,
  };
  setHandler(enrolmentProgressQuery, () => progress);
  // A batch of N contacts takes at least N / rate seconds, start to start.
  const batchMs = (input.batchSize / input.ratePerSecond) * 1_000;
  let batches = 0;
  while (!progress.done) {
    const info = workflowInfo();
    if (batches >= BATCHES_PER_EXECUTION || info.continueAsNewSuggested) {
      return continueAsNew<typeof bulkEnrolment>({ ...input, progress });
    }
    const began = Date.now();
    progress = await enrolBatch({
      enrolmentId: input.enrolmentId,
      cursor: progress.cursor,
      limit: input.batchSize,
      at: began,
    });
    batches += 1;
    const rest = batchMs - (Date.now() - began);
    if (!progress.done && rest > 0) await sleep(rest);
  }
  return progress;
}
