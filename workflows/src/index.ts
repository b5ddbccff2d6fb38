// Every workflow type the worker registers. Deterministic code only: see ARCHITECTURE.md.
export { journeyRun } from './journey-run';
export { bulkEnrolment } from './bulk-enrolment';
export { dateTriggerScan } from './date-trigger';
export { segmentTicker } from './segment-tick';
export { formConfirmation } from './form-confirmation';
export { tagChange } from './tag-change';
export { settingsRecheck } from './settings-recheck';
