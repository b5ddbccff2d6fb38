import { z } from 'zod';
import { defineNode, listOf, quoted } from '../common';

const Tag = z
  .string({ error: 'Tags are text' })
  .trim()
  .min(1, 'A tag cannot be empty')
  .max(100, 'Tags are at most 100 characters');

/** Adds and/or removes tags on the contact. */
export const ActionTagConfig = z
  .strictObject({ add: z.array(Tag).default([]), remove: z.array(Tag).default([]) })
  .superRefine((config, ctx) => {
    if (config.add.length === 0 && config.remove.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['add'], message: 'Choose a tag to add or remove' });
    }
    config.remove.forEach((tag, index) => {
      if (config.add.includes(tag)) {
        ctx.addIssue({
          code: 'custom',
          path: ['remove', index],
          message: `The tag ${quoted(tag)} is both added and removed`,
        });
      }
    });
  });
export type ActionTagConfig = z.infer<typeof ActionTagConfig>;

/** `action.tag` in a plan. */
export interface ActionTagPlan {
  readonly add: readonly string[];
  readonly remove: readonly string[];
}

/** The `action.tag` node kind: schema, ports, sentence and plan form, for the registry. */
export const actionTag = defineNode({
  kind: 'action.tag',
  group: 'action',
  label: 'Tag',
  schema: ActionTagConfig,
  defaults: { add: [], remove: [] },
  describe: (config) => {
    const parts: string[] = [];
    if (config.add.length > 0) parts.push(`Tag ${listOf(config.add.map(quoted))}`);
    if (config.remove.length > 0) {
      const removed = `remove tag${config.remove.length === 1 ? '' : 's'} ${listOf(config.remove.map(quoted))}`;
      parts.push(parts.length === 0 ? removed.charAt(0).toUpperCase() + removed.slice(1) : removed);
    }
    return parts.join(', ');
  },
  compile: (config): ActionTagPlan => ({
    add: [...new Set(config.add)],
    remove: [...new Set(config.remove)],
  }),
});
