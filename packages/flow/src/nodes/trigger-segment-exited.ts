import { z } from 'zod';
import { defineNode, SegmentId, segmentName } from '../common';

/** Starts a run when the contact leaves a segment. */
export const TriggerSegmentExitedConfig = z.strictObject({ segmentId: SegmentId });
export type TriggerSegmentExitedConfig = z.infer<typeof TriggerSegmentExitedConfig>;

/** `trigger.segment_exited` in a plan. */
export interface TriggerSegmentExitedPlan {
  readonly segmentId: string;
}

/** The `trigger.segment_exited` node kind: schema, ports, sentence and plan form, for the registry. */
export const triggerSegmentExited = defineNode({
  kind: 'trigger.segment_exited',
  group: 'trigger',
  label: 'Leaves segment',
  schema: TriggerSegmentExitedConfig,
  defaults: { segmentId: '' },
  describe: (config, ctx) => `When a contact leaves ${segmentName(ctx, config.segmentId)}`,
  compile: (config): TriggerSegmentExitedPlan => ({ segmentId: config.segmentId }),
});
