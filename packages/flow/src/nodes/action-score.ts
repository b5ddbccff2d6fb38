import { z } from 'zod';
import { defineNode, requiredMessage } from '../common';

/** Raises or lowers the contact's lead score. */
export const ActionScoreConfig = z.strictObject({
  delta: z
    .number({ error: requiredMessage('Enter how many points to add or remove') })
    .int('Score changes are whole numbers')
    .refine((delta) => delta !== 0, 'A score change of 0 does nothing'),
});
export type ActionScoreConfig = z.infer<typeof ActionScoreConfig>;

/** `action.score` in a plan. */
export interface ActionScorePlan {
  readonly delta: number;
}

/** The `action.score` node kind: schema, ports, sentence and plan form, for the registry. */
export const actionScore = defineNode({
  kind: 'action.score',
  group: 'action',
  label: 'Change score',
  schema: ActionScoreConfig,
  defaults: { delta: 10 },
  describe: (config) =>
    config.delta > 0 ? `Raise score by ${config.delta}` : `Lower score by ${-config.delta}`,
  compile: (config): ActionScorePlan => ({ delta: config.delta }),
});
