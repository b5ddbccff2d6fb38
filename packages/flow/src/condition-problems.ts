// A condition checked on its own (the segment builder's rule, a filter being typed), with the
// same plain-words messages validate() gives inside a flow.

import { Condition, EventFilter } from './condition';
import { plainMessage, problemsFromIssues, type FlowProblem } from './issues';

/** Problems with a condition tree, `field` relative to its root (`conditions.0.event`). */
export function conditionProblems(condition: unknown): FlowProblem[] {
  const parsed = Condition.safeParse(condition, { error: plainMessage });
  return parsed.success ? [] : problemsFromIssues(parsed.error.issues, condition);
}

/** Problems with an event filter (the `where` of event triggers and waits). */
export function filterProblems(filter: unknown): FlowProblem[] {
  const parsed = EventFilter.safeParse(filter, { error: plainMessage });
  return parsed.success ? [] : problemsFromIssues(parsed.error.issues, filter);
}
