import type { NodeKind } from '@relance/flow';
import type { ComponentType } from 'react';
import { ActionNotifyForm } from './action-notify';
import { ActionScoreForm } from './action-score';
import { ActionSegmentForm } from './action-segment';
import { ActionSendEmailForm } from './action-send-email';
import { ActionSetPropertyForm } from './action-set-property';
import { ActionTagForm } from './action-tag';
import { ActionWebhookForm } from './action-webhook';
import type { KindFormProps } from './form-props';
import { LogicConditionForm } from './logic-condition';
import { LogicExitForm } from './logic-exit';
import { LogicGoalForm } from './logic-goal';
import { LogicSplitForm } from './logic-split';
import { LogicSwitchForm } from './logic-switch';
import { TriggerDateForm } from './trigger-date';
import { TriggerEventForm } from './trigger-event';
import { TriggerManualForm } from './trigger-manual';
import { TriggerSegmentEnteredForm } from './trigger-segment-entered';
import { TriggerSegmentExitedForm } from './trigger-segment-exited';
import { WaitConditionForm } from './wait-condition';
import { WaitDelayForm } from './wait-delay';
import { WaitEventForm } from './wait-event';
import { WaitUntilForm } from './wait-until';

/** The inspector form of each node kind (named like the kind's schema and canvas node). */
export const kindForms: { [K in NodeKind]: ComponentType<KindFormProps> } = {
  'trigger.event': TriggerEventForm,
  'trigger.segment_entered': TriggerSegmentEnteredForm,
  'trigger.segment_exited': TriggerSegmentExitedForm,
  'trigger.date': TriggerDateForm,
  'trigger.manual': TriggerManualForm,
  'wait.delay': WaitDelayForm,
  'wait.until': WaitUntilForm,
  'wait.event': WaitEventForm,
  'wait.condition': WaitConditionForm,
  'logic.condition': LogicConditionForm,
  'logic.switch': LogicSwitchForm,
  'logic.split': LogicSplitForm,
  'logic.goal': LogicGoalForm,
  'logic.exit': LogicExitForm,
  'action.send_email': ActionSendEmailForm,
  'action.segment': ActionSegmentForm,
  'action.tag': ActionTagForm,
  'action.set_property': ActionSetPropertyForm,
  'action.score': ActionScoreForm,
  'action.webhook': ActionWebhookForm,
  'action.notify': ActionNotifyForm,
};
