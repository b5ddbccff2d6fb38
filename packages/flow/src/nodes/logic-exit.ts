import { z } from 'zod';
import { defineNode } from '../common';

/** Ends the run. Every path ends in one, so an unconnected port is always a mistake. */
export const LogicExitConfig = z.strictObject({});
export type LogicExitConfig = z.infer<typeof LogicExitConfig>;

/** `logic.exit` in a plan: no ports. */
export type LogicExitPlan = Record<string, never>;

/** The `logic.exit` node kind: schema, ports, sentence and plan form, for the registry. */
export const logicExit = defineNode({
  kind: 'logic.exit',
  group: 'logic',
  label: 'Exit',
  schema: LogicExitConfig,
  defaults: {},
  ports: () => [],
  describe: () => 'Exit',
  compile: (): LogicExitPlan => ({}),
});
