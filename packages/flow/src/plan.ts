// The compiled plan: what a published journey version stores and what the journey interpreter
// (workflows/) walks. Types only, so workflow code can import it without pulling in zod.

import type { Condition } from './condition';
import type { NodeKind, TriggerKind } from './kinds';
import type { ActionNotifyPlan } from './nodes/action-notify';
import type { ActionScorePlan } from './nodes/action-score';
import type { ActionSegmentPlan } from './nodes/action-segment';
import type { ActionSendEmailPlan } from './nodes/action-send-email';
import type { ActionSetPropertyPlan } from './nodes/action-set-property';
import type { ActionTagPlan } from './nodes/action-tag';
import type { ActionWebhookPlan } from './nodes/action-webhook';
import type { LogicConditionPlan } from './nodes/logic-condition';
import type { LogicExitPlan } from './nodes/logic-exit';
import type { LogicGoalPlan } from './nodes/logic-goal';
import type { LogicSplitPlan } from './nodes/logic-split';
import type { LogicSwitchPlan } from './nodes/logic-switch';
import type { TriggerDatePlan } from './nodes/trigger-date';
import type { TriggerEventPlan } from './nodes/trigger-event';
import type { TriggerManualPlan } from './nodes/trigger-manual';
import type { TriggerSegmentEnteredPlan } from './nodes/trigger-segment-entered';
import type { TriggerSegmentExitedPlan } from './nodes/trigger-segment-exited';
import type { WaitConditionPlan } from './nodes/wait-condition';
import type { WaitDelayPlan } from './nodes/wait-delay';
import type { WaitEventPlan } from './nodes/wait-event';
import type { WaitUntilPlan } from './nodes/wait-until';

/**
 * One node of a plan. `config` is the kind's resolved config (defaults applied, durations in
 * ms, absent optional values as null). `next` maps every port of the node to the id of the
 * node that follows; a valid document connects every port, so values are never null in plans
 * compiled today; an interpreter treats null as "the run ends here". Ports by kind:
 * - `out`: triggers, wait.delay, wait.until, actions, logic.goal with `onMet: 'continue'`
 * - `event` / `timeout`: wait.event; `met` / `timeout`: wait.condition
 * - `yes` / `no`: logic.condition; case ids and `else`: logic.switch (evaluate the cases in
 *   `config.cases` order: key order of `next` is not significant)
 * - branch ids: logic.split; none: logic.exit and logic.goal with `onMet: 'exit'`
 */
export interface PlanNodeOf<K extends NodeKind, C> {
  readonly id: string;
  readonly kind: K;
  readonly config: C;
  readonly next: Readonly<Record<string, string | null>>;
}

/** A node of a plan, discriminated by `kind`. */
export type PlanNode =
  | PlanNodeOf<'trigger.event', TriggerEventPlan>
  | PlanNodeOf<'trigger.segment_entered', TriggerSegmentEnteredPlan>
  | PlanNodeOf<'trigger.segment_exited', TriggerSegmentExitedPlan>
  | PlanNodeOf<'trigger.date', TriggerDatePlan>
  | PlanNodeOf<'trigger.manual', TriggerManualPlan>
  | PlanNodeOf<'wait.delay', WaitDelayPlan>
  | PlanNodeOf<'wait.until', WaitUntilPlan>
  | PlanNodeOf<'wait.event', WaitEventPlan>
  | PlanNodeOf<'wait.condition', WaitConditionPlan>
  | PlanNodeOf<'logic.condition', LogicConditionPlan>
  | PlanNodeOf<'logic.switch', LogicSwitchPlan>
  | PlanNodeOf<'logic.split', LogicSplitPlan>
  | PlanNodeOf<'logic.goal', LogicGoalPlan>
  | PlanNodeOf<'logic.exit', LogicExitPlan>
  | PlanNodeOf<'action.send_email', ActionSendEmailPlan>
  | PlanNodeOf<'action.segment', ActionSegmentPlan>
  | PlanNodeOf<'action.tag', ActionTagPlan>
  | PlanNodeOf<'action.set_property', ActionSetPropertyPlan>
  | PlanNodeOf<'action.score', ActionScorePlan>
  | PlanNodeOf<'action.webhook', ActionWebhookPlan>
  | PlanNodeOf<'action.notify', ActionNotifyPlan>;

/** The trigger node of a plan. */
export type PlanTrigger = Extract<PlanNode, { kind: TriggerKind }>;

/** The config of a plan node of kind `K`. */
export type PlanConfigOf<K extends NodeKind> = Extract<PlanNode, { kind: K }>['config'];

/** Who may enter, with the cooldown in ms. With an entry key the policy applies per key. */
export type PlanEntryPolicy =
  | { readonly kind: 'once' }
  | { readonly kind: 'after_exit' }
  | { readonly kind: 'cooldown'; readonly cooldownMs: number };

/** Flow settings with durations resolved to ms and absent options as null. */
export interface PlanSettings {
  readonly entryPolicy: PlanEntryPolicy;
  /** Checked before every step and whenever the contact changes; any match ends the run. */
  readonly exitConditions: readonly Condition[];
  /** A goal met this long after the run's last step still counts as its conversion. */
  readonly goalWindowMs: number;
  /** Local `HH:MM` bounds (may span midnight); see `nextAllowedTime`. */
  readonly quietHours: { readonly start: string; readonly end: string } | null;
  /** At most `count` emails per `perMs`; see `nextSendUnderCap`. */
  readonly frequencyCap: { readonly count: number; readonly perMs: number } | null;
}

/**
 * A compiled, immutable flow: deep-frozen plain JSON (survives `JSON.stringify`/`parse`
 * unchanged). A run starts at `startNodeId`, executes each node and follows `next[port]`.
 */
export interface FlowPlan {
  /** Plan format version; bumps when an interpreter could misread an older plan. */
  readonly v: 1;
  readonly name: string;
  /** The trigger node (also present in `nodes`). */
  readonly trigger: PlanTrigger;
  /** The first node a new run executes: the trigger's `out` target. */
  readonly startNodeId: string;
  /** Every node of the document, keyed by id, including the trigger and goal nodes. */
  readonly nodes: Readonly<Record<string, PlanNode>>;
  /** Ids of `logic.goal` nodes: their conditions are watched during the whole run. */
  readonly goals: readonly string[];
  readonly settings: PlanSettings;
  /**
   * What a running run must be told about: signal it when one of these events arrives for its
   * contact, when the contact enters or leaves one of these segments, and (when `contact` is
   * true) when the contact's properties, tags or score change. Derived from wait.event,
   * wait.condition, goal and exit conditions; the trigger's own event or segment appears only
   * if one of those also needs it.
   */
  readonly listens: {
    readonly events: readonly string[];
    readonly segments: readonly string[];
    readonly contact: boolean;
  };
  /** Every segment, template and event name the plan mentions, sorted (for "used by" lookups). */
  readonly references: {
    readonly segments: readonly string[];
    readonly templates: readonly string[];
    readonly events: readonly string[];
  };
}
