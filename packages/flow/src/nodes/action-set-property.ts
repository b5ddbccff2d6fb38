import { z } from 'zod';
import { defineNode, quoted, requiredMessage } from '../common';
import { PropertyPath } from '../condition';
import { liquidProblem } from '../liquid';

/** Sets a contact property; text values may use Liquid (`{{ event.plan }}`), null clears it. */
export const ActionSetPropertyConfig = z.strictObject({
  property: PropertyPath,
  value: z
    .union([z.string(), z.number(), z.boolean(), z.null()], {
      error: requiredMessage('Enter the value to set'),
    })
    .superRefine((value, ctx) => {
      const problem = typeof value === 'string' ? liquidProblem(value) : null;
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
});
export type ActionSetPropertyConfig = z.infer<typeof ActionSetPropertyConfig>;

/** `action.set_property` in a plan: strings are Liquid templates rendered per contact. */
export interface ActionSetPropertyPlan {
  readonly property: string;
  readonly value: string | number | boolean | null;
}

/** The `action.set_property` node kind: schema, ports, sentence and plan form, for the registry. */
export const actionSetProperty = defineNode({
  kind: 'action.set_property',
  group: 'action',
  label: 'Set property',
  schema: ActionSetPropertyConfig,
  defaults: { property: '', value: '' },
  describe: (config) =>
    config.value === null
      ? `Clear ${config.property}`
      : `Set ${config.property} to ${typeof config.value === 'string' ? quoted(config.value) : String(config.value)}`,
  compile: (config): ActionSetPropertyPlan => ({
    property: config.property,
    value: config.value,
  }),
});
