import { z } from 'zod';
import { defineNode } from '../common';
import { EventFilter, EventName, PropertyPath } from '../condition';
import { describeFilter } from '../describe-condition';
import { eventWords } from '../event-words';
import { describeHumanOnly, HumanOnly, humanOnlyApplies, planWhere } from './human-only';

/** Starts a run when the contact performs `event` (optionally only when `where` holds). */
export const TriggerEventConfig = z
  .strictObject({
    event: EventName,
    /** A condition on the event's properties. */
    where: EventFilter.optional(),
    /** Only a person's opens or clicks start a run (see `HumanOnly`). */
    humanOnly: HumanOnly,
    /** An event property naming the thing the run is about (`orderId`): one run per key. */
    entryKey: PropertyPath.optional(),
  })
  .refine(...humanOnlyApplies);
export type TriggerEventConfig = z.infer<typeof TriggerEventConfig>;

/** `trigger.event` in a plan. */
export interface TriggerEventPlan {
  readonly event: string;
  /** The marketer's filter, with "not a machine's" added for `humanOnly`. */
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
  describe: (config, ctx) => {
    const where = config.where ? ` where ${describeFilter(config.where)}` : '';
    const key = config.entryKey ? ` (once per ${config.entryKey})` : '';
    const words = eventWords(config.event, ctx);
    const when = words ? `When a contact ${words.does}` : `When ${config.event} happens`;
    return `${when}${where}${describeHumanOnly(config)}${key}`;
  },
  compile: (config): TriggerEventPlan => ({
    event: config.event,
    where: planWhere(config),
    entryKey: config.entryKey ?? null,
  }),
});
