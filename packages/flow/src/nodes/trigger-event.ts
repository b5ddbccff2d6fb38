import { z } from 'zod';
import { defineNode } from '../common';
import { EventFilter, EventName, PropertyPath } from '../condition';
import { describeFilter } from '../describe-condition';

/** Starts a run when the contact performs `event` (optionally only when `where` holds). */
export const TriggerEventConfig = z.strictObject({
  event: EventName,
  /** A condition on the event's properties. */
  where: EventFilter.optional(),
  /** An event property naming the thing the run is about (`orderId`): one run per key. */
  entryKey: PropertyPath.optional(),
});
export type TriggerEventConfig = z.infer<typeof TriggerEventConfig>;

/** `trigger.event` in a plan. */
export interface TriggerEventPlan {
  readonly event: string;
  readonly where: EventFilter | null;
  /** Event property whose value becomes part of the run id; the entry policy applies per key. */
  readonly entryKey: string | null;
}

/** The `trigger.event` node kind: schema, ports, sentence and plan form, for the registry. */
export const triggerEvent = defineNode({
  kind: 'trigger.event',
  group: 'trigger',
  label: 'Event happens',
  schema: TriggerEventConfig,
  defaults: { event: '' },
  describe: (config) => {
    const where = config.where ? ` where ${describeFilter(config.where)}` : '';
    const key = config.entryKey ? ` (once per ${config.entryKey})` : '';
    return `When ${config.event} happens${where}${key}`;
  },
  compile: (config): TriggerEventPlan => ({
    event: config.event,
    where: config.where ?? null,
    entryKey: config.entryKey ?? null,
  }),
});
