import { z } from 'zod';
import { defineNode } from '../common';
import { describeDuration, Duration, formatDuration, parseDuration } from '../duration';

/** Pauses the run for a fixed time. */
export const WaitDelayConfig = z.strictObject({ duration: Duration });
export type WaitDelayConfig = z.infer<typeof WaitDelayConfig>;

/** `wait.delay` in a plan. */
export interface WaitDelayPlan {
  readonly durationMs: number;
}

/** The `wait.delay` node kind: schema, ports, sentence and plan form, for the registry. */
export const waitDelay = defineNode({
  kind: 'wait.delay',
  group: 'wait',
  label: 'Wait',
  schema: WaitDelayConfig,
  defaults: { duration: '1d' },
  describe: (config) => `Wait ${describeDuration(config.duration) ?? formatDuration(0)}`,
  compile: (config): WaitDelayPlan => ({ durationMs: parseDuration(config.duration) ?? 0 }),
});
