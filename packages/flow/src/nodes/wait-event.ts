import { z } from 'zod';
import { defineNode } from '../common';
import { EventFilter, EventName } from '../condition';
import { describeFilter, spanOf } from '../describe-condition';
import { eventWords } from '../event-words';
import { Duration, parseDuration } from '../duration';
import { describeHumanOnly, HumanOnly, humanOnlyApplies, planWhere } from './human-only';

/** Pauses until the contact performs an event, or the timeout passes. */
export const WaitEventConfig = z
  .strictObject({
    event: EventName,
    where: EventFilter.optional(),
    /** Only a person's opens or clicks answer the wait (see `HumanOnly`). */
    humanOnly: HumanOnly,
    /** Longest wait before taking the `timeout` path. */
    timeout: Duration,
  })
  .refine(...humanOnlyApplies);
export type WaitEventConfig = z.infer<typeof WaitEventConfig>;

/** `wait.event` in a plan: ports `event` and `timeout`. */
export interface WaitEventPlan {
  readonly event: string;
  /** The marketer's filter, with "not a machine's" added for `humanOnly`. */
  readonly where: EventFilter | null;
  readonly timeoutMs: number;
}

/** The `wait.event` node kind: schema, ports, sentence and plan form, for the registry. */
export const waitEvent = defineNode({
  kind: 'wait.event',
  group: 'wait',
  label: 'Wait for an event',
  schema: WaitEventConfig,
  defaults: { event: '', timeout: '3d' },
  ports: () => ['event', 'timeout'],
  describe: (config, ctx) => {
    const where = config.where ? ` where ${describeFilter(config.where)}` : '';
    const words = eventWords(config.event, ctx);
    const what = words ? `the contact to ${words.do}` : config.event;
    return `Wait up to ${spanOf(config.timeout)} for ${what}${where}${describeHumanOnly(config)}`;
  },
  compile: (config): WaitEventPlan => ({
    event: config.event,
    where: planWhere(config),
    timeoutMs: parseDuration(config.timeout) ?? 0,
  }),
});
