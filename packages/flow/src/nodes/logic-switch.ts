import { z } from 'zod';
import {
  checkPathNames,
  defineNode,
  idsIn,
  itemLabel,
  listOf,
  PortId,
  standardPortLabel,
} from '../common';
import { Condition } from '../condition';
import { ELSE } from '../kinds';

/** One path of a switch; its id is also its port. */
export const SwitchCase = z.strictObject({
  id: PortId,
  label: z.string().trim().max(80, 'Keep path names under 80 characters').optional(),
  condition: Condition,
});
export type SwitchCase = z.infer<typeof SwitchCase>;

/** Multi-way branch: the first case whose condition holds, else `else`. */
export const LogicSwitchConfig = z
  .strictObject({ cases: z.array(SwitchCase).min(1, 'Add at least one case') })
  .superRefine((config, ctx) => {
    checkPathNames(ctx, config.cases, {
      field: 'cases',
      one: 'case',
      many: 'cases',
      reserved: {
        id: ELSE,
        message: `"${ELSE}" is kept for the path taken when no case matches; rename this case`,
      },
    });
  });
export type LogicSwitchConfig = z.infer<typeof LogicSwitchConfig>;

/** `logic.switch` in a plan: one port per case id plus `else`; the first case that holds wins. */
export interface LogicSwitchPlan {
  readonly cases: readonly {
    readonly id: string;
    readonly label: string | null;
    readonly condition: Condition;
  }[];
}

/** The `logic.switch` node kind: schema, ports, sentence and plan form, for the registry. */
export const logicSwitch = defineNode({
  kind: 'logic.switch',
  group: 'logic',
  label: 'Switch',
  schema: LogicSwitchConfig,
  defaults: { cases: [] },
  ports: (config) => [...idsIn(config, 'cases'), ELSE],
  portLabel: (port, config) =>
    port === ELSE ? standardPortLabel(port) : itemLabel(config, 'cases', port),
  describe: (config) =>
    `Branch: ${listOf([...config.cases.map((c) => c.label ?? c.id), 'otherwise'], 'or')}`,
  compile: (config): LogicSwitchPlan => ({
    cases: config.cases.map((c) => ({ id: c.id, label: c.label ?? null, condition: c.condition })),
  }),
});
