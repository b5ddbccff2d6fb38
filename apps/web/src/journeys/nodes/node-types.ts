import type { NodeProps } from '@xyflow/react';
import type { NodeKind } from '@relance/flow';
import type { ComponentType } from 'react';
import type { CanvasNode } from '../canvas/convert';
import { TriggerEventNode } from './trigger-event';
import { TriggerSegmentEnteredNode } from './trigger-segment-entered';
import { TriggerSegmentExitedNode } from './trigger-segment-exited';
import { TriggerDateNode } from './trigger-date';
import { TriggerManualNode } from './trigger-manual';
import { WaitDelayNode } from './wait-delay';
import { WaitUntilNode } from './wait-until';
import { WaitEventNode } from './wait-event';
import { WaitConditionNode } from './wait-condition';
import { LogicConditionNode } from './logic-condition';
import { LogicSwitchNode } from './logic-switch';
import { LogicSplitNode } from './logic-split';
import { LogicGoalNode } from './logic-goal';
import { LogicExitNode } from './logic-exit';
import { ActionSendEmailNode } from './action-send-email';
import { ActionSegmentNode } from './action-segment';
import { ActionTagNode } from './action-tag';
import { ActionSetPropertyNode } from './action-set-property';
import { ActionScoreNode } from './action-score';
import { ActionWebhookNode } from './action-webhook';
import { ActionNotifyNode } from './action-notify';

/** One component per node kind; module-level so React Flow never sees a new object. */
export const nodeTypes: { [K in NodeKind]: ComponentType<NodeProps<CanvasNode>> } = {
  'trigger.event': TriggerEventNode,
  'trigger.segment_entered': TriggerSegmentEnteredNode,
  'trigger.segment_exited': TriggerSegmentExitedNode,
  'trigger.date': TriggerDateNode,
  'trigger.manual': TriggerManualNode,
  'wait.delay': WaitDelayNode,
  'wait.until': WaitUntilNode,
  'wait.event': WaitEventNode,
  'wait.condition': WaitConditionNode,
  'logic.condition': LogicConditionNode,
  'logic.switch': LogicSwitchNode,
  'logic.split': LogicSplitNode,
  'logic.goal': LogicGoalNode,
  'logic.exit': LogicExitNode,
  'action.send_email': ActionSendEmailNode,
  'action.segment': ActionSegmentNode,
  'action.tag': ActionTagNode,
  'action.set_property': ActionSetPropertyNode,
  'action.score': ActionScoreNode,
  'action.webhook': ActionWebhookNode,
  'action.notify': ActionNotifyNode,
};
