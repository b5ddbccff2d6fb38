import { z } from 'zod';
import { defineNode, SegmentId, segmentName } from '../common';

/** Starts a run when the contact enters a segment. */
export const TriggerSegmentEnteredConfig = z.strictObject({ segmentId: SegmentId });
export type TriggerSegmentEnteredConfig = z.infer<typeof TriggerSegmentEnteredConfig>;

/** `trigger.segment_entered` in a plan. */
export interface TriggerSegmentEnteredPlan {
  readonly segmentId: string;
}

/** The `trigger.segment_entered` node kind: schema, ports, sentence and plan form, for the registry. */
export const triggerSegmentEntered = defineNode({
  kind: 'trigger.segment_entered',
  group: 'trigger',
  label: 'Enters segment',
  schema: TriggerSegmentEnteredConfig,
  defaults: { segmentId: '' },
  describe: (config, ctx) => `When a contact enters ${segmentName(ctx, config.segmentId)}`,
  compile: (config): TriggerSegmentEnteredPlan => ({ segmentId: config.segmentId }),
});
