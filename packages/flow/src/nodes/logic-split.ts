import { z } from 'zod';
import { checkPathNames, defineNode, idsIn, itemLabel, PortId } from '../common';

/** One path of a random split; its id is also its port. A holdout is a branch that just exits. */
export const SplitBranch = z.strictObject({
  id: PortId,
  label: z.string().trim().max(80, 'Keep path names under 80 characters').optional(),
  percent: z
    .number({ error: 'Enter a percentage' })
    .int('Use whole percentages')
    .min(0, 'A percentage cannot be negative')
    .max(100, 'A percentage is at most 100'),
});
export type SplitBranch = z.infer<typeof SplitBranch>;

/** Random A/B/n split, deterministic per contact and run. */
export const LogicSplitConfig = z
  .strictObject({ branches: z.array(SplitBranch).min(2, 'A split needs at least two branches') })
  .superRefine((config, ctx) => {
    const total = config.branches.reduce((sum, b) => sum + b.percent, 0);
    if (config.branches.length >= 2 && total !== 100) {
      ctx.addIssue({
        code: 'custom',
        path: ['branches'],
        message: `The split percentages add up to ${total}%; they must add up to 100%`,
      });
    }
    checkPathNames(ctx, config.branches, { field: 'branches', one: 'branch', many: 'branches' });
  });
export type LogicSplitConfig = z.infer<typeof LogicSplitConfig>;

/** `logic.split` in a plan: one port per branch id (see `pickBranch` in the runtime helpers). */
export interface LogicSplitPlan {
  readonly branches: readonly {
    readonly id: string;
    readonly label: string | null;
    readonly percent: number;
  }[];
}

/** The `logic.split` node kind: schema, ports, sentence and plan form, for the registry. */
export const logicSplit = defineNode({
  kind: 'logic.split',
  group: 'logic',
  label: 'Random split',
  schema: LogicSplitConfig,
  defaults: {
    branches: [
      { id: 'a', label: 'A', percent: 50 },
      { id: 'b', label: 'B', percent: 50 },
    ],
  },
  ports: (config) => idsIn(config, 'branches'),
  portLabel: (port, config) => itemLabel(config, 'branches', port),
  describe: (config) =>
    `Split randomly: ${config.branches.map((b) => `${b.percent}% ${b.label ?? b.id}`).join(', ')}`,
  compile: (config): LogicSplitPlan => ({
    branches: config.branches.map((b) => ({
      id: b.id,
      label: b.label ?? null,
      percent: b.percent,
    })),
  }),
});
