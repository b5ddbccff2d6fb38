import { z } from 'zod';
import { defineNode } from '../common';

/** Contacts are enrolled by hand, through the API, or as current members of a segment. */
export const TriggerManualConfig = z.strictObject({});
export type TriggerManualConfig = z.infer<typeof TriggerManualConfig>;

/** `trigger.manual` in a plan: nothing to configure. */
export type TriggerManualPlan = Record<string, never>;

/** The `trigger.manual` node kind: schema, ports, sentence and plan form, for the registry. */
export const triggerManual = defineNode({
  kind: 'trigger.manual',
  group: 'trigger',
  label: 'Manual enrolment',
  schema: TriggerManualConfig,
  defaults: {},
  describe: () => 'When enrolled by hand or through the API',
  compile: (): TriggerManualPlan => ({}),
});
