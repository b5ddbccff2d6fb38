import { z } from 'zod';
import { defineNode } from '../common';
import { Condition } from '../condition';
import { describeCondition } from '../describe-condition';

/**
 * A conversion goal. Whenever its condition becomes true during a run (checked like exit
 * conditions, before every step and when the contact changes), the run jumps here, the
 * conversion is recorded, and the run exits or continues from here. A goal needs no incoming
 * connection; a run that reaches it along one records a conversion only if the condition holds,
 * then exits or continues the same way.
 */
export const LogicGoalConfig = z.strictObject({
  condition: Condition,
  /** `exit` ends the run at the goal; `continue` follows the goal's `out` port. */
  onMet: z.enum(['exit', 'continue'], { error: 'Choose exit or continue' }).default('exit'),
});
export type LogicGoalConfig = z.infer<typeof LogicGoalConfig>;

/** `logic.goal` in a plan: port `out` only when `onMet` is `continue`. */
export interface LogicGoalPlan {
  readonly condition: Condition;
  readonly onMet: 'exit' | 'continue';
}

/** The `logic.goal` node kind: schema, ports, sentence and plan form, for the registry. */
export const logicGoal = defineNode({
  kind: 'logic.goal',
  group: 'logic',
  label: 'Goal',
  schema: LogicGoalConfig,
  defaults: { condition: { kind: 'all', conditions: [] }, onMet: 'exit' },
  ports: (config) => ((config as { onMet?: unknown } | null)?.onMet === 'continue' ? ['out'] : []),
  describe: (config, ctx) =>
    `Goal: ${describeCondition(config.condition, ctx)}, then ${config.onMet === 'exit' ? 'exit' : 'continue'}`,
  compile: (config): LogicGoalPlan => ({ condition: config.condition, onMet: config.onMet }),
});
