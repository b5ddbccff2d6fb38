import { type DescribeContext, type NodeDefinition } from './common';
import { isNodeKind, type NodeKind } from './kinds';
import { actionNotify } from './nodes/action-notify';
import { actionScore } from './nodes/action-score';
import { actionSegment } from './nodes/action-segment';
import { actionSendEmail } from './nodes/action-send-email';
import { actionSetProperty } from './nodes/action-set-property';
import { actionTag } from './nodes/action-tag';
import { actionWebhook } from './nodes/action-webhook';
import { logicCondition } from './nodes/logic-condition';
import { logicExit } from './nodes/logic-exit';
import { logicGoal } from './nodes/logic-goal';
import { logicSplit } from './nodes/logic-split';
import { logicSwitch } from './nodes/logic-switch';
import { triggerDate } from './nodes/trigger-date';
import { triggerEvent } from './nodes/trigger-event';
import { triggerManual } from './nodes/trigger-manual';
import { triggerSegmentEntered } from './nodes/trigger-segment-entered';
import { triggerSegmentExited } from './nodes/trigger-segment-exited';
import { waitCondition } from './nodes/wait-condition';
import { waitDelay } from './nodes/wait-delay';
import { waitEvent } from './nodes/wait-event';
import { waitUntil } from './nodes/wait-until';

/** Every node kind's definition: schema, ports, palette group and label, describe, defaults. */
export const nodeRegistry = {
  'trigger.event': triggerEvent,
  'trigger.segment_entered': triggerSegmentEntered,
  'trigger.segment_exited': triggerSegmentExited,
  'trigger.date': triggerDate,
  'trigger.manual': triggerManual,
  'wait.delay': waitDelay,
  'wait.until': waitUntil,
  'wait.event': waitEvent,
  'wait.condition': waitCondition,
  'logic.condition': logicCondition,
  'logic.switch': logicSwitch,
  'logic.split': logicSplit,
  'logic.goal': logicGoal,
  'logic.exit': logicExit,
  'action.send_email': actionSendEmail,
  'action.segment': actionSegment,
  'action.tag': actionTag,
  'action.set_property': actionSetProperty,
  'action.score': actionScore,
  'action.webhook': actionWebhook,
  'action.notify': actionNotify,
} as const satisfies { [K in NodeKind]: { readonly kind: K } };

/** The definition of a kind with its config type erased, for code that handles every kind alike. */
export function definitionOf(kind: NodeKind): NodeDefinition {
  return nodeRegistry[kind];
}

/** A node's output ports, from a possibly half-filled config (empty for unknown kinds). */
export function portsOf(node: { kind: string; config?: unknown }): string[] {
  if (!isNodeKind(node.kind)) return [];
  return [...new Set(definitionOf(node.kind).ports(node.config ?? {}))];
}

/** How a node's port reads: "yes", "timed out", a case or branch label. */
export function portLabelOf(
  node: { kind: string; config?: unknown },
  port: string,
  ctx: DescribeContext = {},
): string {
  if (!isNodeKind(node.kind)) return port;
  return definitionOf(node.kind).portLabel(port, node.config ?? {}, ctx);
}

/**
 * A node as a sentence a marketer reads ("Wait 3 days", "Send 'Your order tips'"); the kind's
 * label ("Send email") while its config is incomplete.
 */
export function describeNode(
  node: { kind: string; config?: unknown },
  ctx: DescribeContext = {},
): string {
  if (!isNodeKind(node.kind)) return node.kind;
  const definition = definitionOf(node.kind);
  const parsed = definition.schema.safeParse(node.config ?? {});
  return parsed.success ? definition.describe(parsed.data, ctx) : definition.label;
}

/** A new node of `kind` with its default config, ready to drop on the canvas. */
export function createNode<K extends NodeKind>(
  kind: K,
  id: string,
  position: { x: number; y: number } = { x: 0, y: 0 },
): { id: string; kind: K; position: { x: number; y: number }; config: Record<string, unknown> } {
  return {
    id,
    kind,
    position: { ...position },
    config: structuredClone(definitionOf(kind).defaults),
  };
}
