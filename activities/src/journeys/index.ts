import type { JourneyActivities } from '@relance/workflows/journey-activities';
import { scanDateTrigger } from './date-triggers';
import type { JourneyActivityDeps } from './deps';
import { enrolBatch } from './enrol-batch';
import { performAction } from './perform-action';
import {
  beginRun,
  checkpoint,
  endRun,
  loadRun,
  moveRunToVersion,
  readTimeZone,
} from './run-lifecycle';

export type { ContactFacts, JourneyActivityDeps } from './deps';

/** The journey interpreter's activities over their dependencies. */
export function createJourneyActivities(deps: JourneyActivityDeps): JourneyActivities {
  return {
    beginRun: (input) => beginRun(deps, input),
    loadRun: (input) => loadRun(deps, input),
    readTimeZone: (input) => readTimeZone(deps, input),
    checkpoint: (input) => checkpoint(deps, input),
    performAction: (input) => performAction(deps, input),
    moveRunToVersion: (input) => moveRunToVersion(deps, input),
    endRun: (input) => endRun(deps, input),
    enrolBatch: (input) => enrolBatch(deps, input),
    scanDateTrigger: (input) => scanDateTrigger(deps, input),
  };
}
