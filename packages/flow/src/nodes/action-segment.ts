import { z } from 'zod';
import { defineNode, listOf, SegmentId, segmentName } from '../common';

/**
 * Adds the contact to and/or removes them from lists (static segments, the only ones a step can
 * change); both at once is a "move".
 */
export const ActionSegmentConfig = z
  .strictObject({
    add: z.array(SegmentId).default([]),
    remove: z.array(SegmentId).default([]),
  })
  .superRefine((config, ctx) => {
    if (config.add.length === 0 && config.remove.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['add'],
        message: 'Choose a list to add the contact to or remove them from',
      });
    }
    config.remove.forEach((id, index) => {
      if (config.add.includes(id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['remove', index],
          message: 'A list cannot be both added to and removed from in one step',
        });
      }
    });
  });
export type ActionSegmentConfig = z.infer<typeof ActionSegmentConfig>;

/** `action.segment` in a plan: removals are applied before additions. */
export interface ActionSegmentPlan {
  readonly add: readonly string[];
  readonly remove: readonly string[];
}

/** The `action.segment` node kind: schema, ports, sentence and plan form, for the registry. */
export const actionSegment = defineNode({
  kind: 'action.segment',
  group: 'action',
  label: 'Change lists',
  schema: ActionSegmentConfig,
  defaults: { add: [], remove: [] },
  describe: (config, ctx) => {
    const add = listOf(config.add.map((id) => segmentName(ctx, id)));
    const remove = listOf(config.remove.map((id) => segmentName(ctx, id)));
    if (add && remove) return `Move from ${remove} to ${add}`;
    return add ? `Add to ${add}` : `Remove from ${remove}`;
  },
  compile: (config): ActionSegmentPlan => ({
    add: [...new Set(config.add)],
    remove: [...new Set(config.remove)],
  }),
});
