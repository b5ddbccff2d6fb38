import { z } from 'zod';
import { defineNode } from '../common';
import { Condition } from '../condition';
import { describeCondition, spanOf } from '../describe-condition';
import { Duration, parseDuration } from '../duration';

/** Pauses until a condition on the contact holds (re-checked when the contact changes). */
export const WaitConditionConfig = z.strictObject({
  condition: Condition,
  /** Longest wait before taking the `timeout` path. */
  timeout: Duration,
});
export type WaitConditionConfig = z.infer<typeof WaitConditionConfig>;

/** `wait.condition` in a plan: ports `met` and `timeout`. */
export interface WaitConditionPlan {
  readonly condition: Condition;
  readonly timeoutMs: number;
}

/** The `wait.condition` node kind: schema, ports, sentence and plan form, for the registry. */
export const waitCondition = defineNode({
  kind: 'wait.condition',
  group: 'wait',
  label: 'Wait until a condition',
  schema: WaitConditionConfig,
  defaults: { condition: { kind: 'all', conditions: [] }, timeout: '3d' },
  ports: () => ['met', 'timeout'],
  describe: (config, ctx) =>
    `Wait up to ${spanOf(config.timeout)} until ${describeCondition(config.condition, ctx)}`,
  compile: (config): WaitConditionPlan => ({
    condition: config.condition,
    timeoutMs: parseDuration(config.timeout) ?? 0,
  }),
});
