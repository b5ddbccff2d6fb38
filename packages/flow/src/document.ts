import { z } from 'zod';
import { NodeId, PortId, requiredMessage, TimeOfDay } from './common';
import { Condition } from './condition';
import { Duration } from './duration';
import type { NodeKind } from './kinds';
import { ActionNotifyConfig } from './nodes/action-notify';
import { ActionScoreConfig } from './nodes/action-score';
import { ActionSegmentConfig } from './nodes/action-segment';
import { ActionSendEmailConfig } from './nodes/action-send-email';
import { ActionSetPropertyConfig } from './nodes/action-set-property';
import { ActionTagConfig } from './nodes/action-tag';
import { ActionWebhookConfig } from './nodes/action-webhook';
import { LogicConditionConfig } from './nodes/logic-condition';
import { LogicExitConfig } from './nodes/logic-exit';
import { LogicGoalConfig } from './nodes/logic-goal';
import { LogicSplitConfig } from './nodes/logic-split';
import { LogicSwitchConfig } from './nodes/logic-switch';
import { TriggerDateConfig } from './nodes/trigger-date';
import { TriggerEventConfig } from './nodes/trigger-event';
import { TriggerManualConfig } from './nodes/trigger-manual';
import { TriggerSegmentEnteredConfig } from './nodes/trigger-segment-entered';
import { TriggerSegmentExitedConfig } from './nodes/trigger-segment-exited';
import { WaitConditionConfig } from './nodes/wait-condition';
import { WaitDelayConfig } from './nodes/wait-delay';
import { WaitEventConfig } from './nodes/wait-event';
import { WaitUntilConfig } from './nodes/wait-until';

/** Where a node sits on the canvas (flows written by hand may leave it out). */
export const Position = z.strictObject({ x: z.number(), y: z.number() });
export type Position = z.infer<typeof Position>;

function node<K extends NodeKind, C extends z.ZodType>(kind: K, config: C) {
  return z.strictObject({
    id: NodeId,
    kind: z.literal(kind),
    position: Position.default({ x: 0, y: 0 }),
    config,
  });
}

/** One step of a flow: `{ id, kind, position, config }`, config shaped by the kind. */
export const FlowNode = z.discriminatedUnion('kind', [
  node('trigger.event', TriggerEventConfig),
  node('trigger.segment_entered', TriggerSegmentEnteredConfig),
  node('trigger.segment_exited', TriggerSegmentExitedConfig),
  node('trigger.date', TriggerDateConfig),
  node('trigger.manual', TriggerManualConfig.default({})),
  node('wait.delay', WaitDelayConfig),
  node('wait.until', WaitUntilConfig),
  node('wait.event', WaitEventConfig),
  node('wait.condition', WaitConditionConfig),
  node('logic.condition', LogicConditionConfig),
  node('logic.switch', LogicSwitchConfig),
  node('logic.split', LogicSplitConfig),
  node('logic.goal', LogicGoalConfig),
  node('logic.exit', LogicExitConfig.default({})),
  node('action.send_email', ActionSendEmailConfig),
  node('action.segment', ActionSegmentConfig),
  node('action.tag', ActionTagConfig),
  node('action.set_property', ActionSetPropertyConfig),
  node('action.score', ActionScoreConfig),
  node('action.webhook', ActionWebhookConfig),
  node('action.notify', ActionNotifyConfig),
]);
export type FlowNode = z.infer<typeof FlowNode>;

/**
 * A connection from one node's port to the next node. At most one edge leaves each port, so
 * `${from}:${port}` identifies an edge (the canvas uses it as the React Flow edge id).
 */
export const FlowEdge = z.strictObject({
  from: NodeId,
  port: PortId.default('out'),
  to: NodeId,
});
export type FlowEdge = z.infer<typeof FlowEdge>;

/** Who may enter: once ever, again after their previous run ended, or again after a cooldown. */
export const EntryPolicy = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('once') }),
  z.strictObject({ kind: z.literal('after_exit') }),
  z.strictObject({ kind: z.literal('cooldown'), duration: Duration }),
]);
export type EntryPolicy = z.infer<typeof EntryPolicy>;

/** Local hours in which no email goes out; sends are deferred to `end`. May span midnight. */
export const QuietHours = z
  .strictObject({ start: TimeOfDay, end: TimeOfDay })
  .refine((q) => q.start !== q.end, {
    path: ['end'],
    message: 'Quiet hours start and end at the same time; choose a different end',
  });
export type QuietHours = z.infer<typeof QuietHours>;

/** At most `count` emails from this flow per `per`; later sends are deferred. */
export const FrequencyCap = z.strictObject({
  count: z
    .number({ error: requiredMessage('Enter how many emails are allowed') })
    .int('Use a whole number of emails')
    .min(1, 'Allow at least one email'),
  per: Duration,
});
export type FrequencyCap = z.infer<typeof FrequencyCap>;

/** Flow-wide settings; every field has a default, so `{}` is valid. */
export const FlowSettings = z.strictObject({
  entryPolicy: EntryPolicy.default({ kind: 'once' }),
  /** Checked before every step and when the contact changes: a match ends the run. */
  exitConditions: z.array(Condition).default([]),
  /**
   * A goal met within this window after the run's last step still counts as a conversion of
   * this flow (a goal met while the run is active always counts).
   */
  goalWindow: Duration.default('7d'),
  quietHours: QuietHours.optional(),
  frequencyCap: FrequencyCap.optional(),
});
export type FlowSettings = z.infer<typeof FlowSettings>;

/** A flow as the canvas edits it, the API stores it and authors write it ("flows as code"). */
export const FlowDocument = z.object({
  name: z
    .string({ error: requiredMessage('Give the flow a name') })
    .trim()
    .min(1, 'Give the flow a name')
    .max(200, 'Keep the flow name under 200 characters'),
  settings: FlowSettings.prefault({}),
  nodes: z.array(FlowNode, { error: 'A flow lists its steps under "nodes"' }),
  edges: z.array(FlowEdge, { error: 'A flow lists its connections under "edges"' }).default([]),
});
/** A parsed document: every default filled in. */
export type FlowDocument = z.infer<typeof FlowDocument>;
/** A document as written: defaults may be left out. */
export type FlowDocumentInput = z.input<typeof FlowDocument>;
/** A node as written. */
export type FlowNodeInput = z.input<typeof FlowNode>;
