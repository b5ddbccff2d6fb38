import { z } from 'zod';
import { defineNode } from '../common';
import { Condition } from '../condition';
import { describeCondition } from '../describe-condition';

/** If/else on the contact: properties, tags, score, segments, event and email history. */
export const LogicConditionConfig = z.strictObject({ condition: Condition });
export type LogicConditionConfig = z.infer<typeof LogicConditionConfig>;

/** `logic.condition` in a plan: ports `yes` and `no`. */
export interface LogicConditionPlan {
  readonly condition: Condition;
}

/** The `logic.condition` node kind: schema, ports, sentence and plan form, for the registry. */
export const logicCondition = defineNode({
  kind: 'logic.condition',
  group: 'logic',
  label: 'If / else',
  schema: LogicConditionConfig,
  defaults: { condition: { kind: 'all', conditions: [] } },
  ports: () => ['yes', 'no'],
  describe: (config, ctx) => `If ${describeCondition(config.condition, ctx)}`,
  compile: (config): LogicConditionPlan => ({ condition: config.condition }),
});
