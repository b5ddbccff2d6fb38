// Every setting of every step kind as a marketer calls it, for "what changed" lists and for
// problems that point at one setting. The type below asks for a label for each key of each
// kind's config, so a setting added to a schema fails the typecheck until it has one.

import type { NodeDefinition } from './common';
import type { FlowSettings } from './document';
import { describeDuration } from './parse-duration';
import type { NodeKind } from './kinds';
import type { nodeRegistry } from './registry';

type ConfigOf<K extends NodeKind> =
  (typeof nodeRegistry)[K] extends NodeDefinition<K, infer C, unknown> ? C : never;
// Every key of every member, for configs that are unions.
type KeysOf<T> = T extends unknown ? keyof T : never;

/** The name of each setting of each step kind, in a marketer's words. */
export const STEP_SETTING_LABELS = {
  'trigger.event': {
    event: 'event',
    where: 'event filter',
    humanOnly: 'only a person’s opens or clicks',
    entryKey: 'property that tells entries apart',
  },
  'trigger.segment_entered': { segmentId: 'segment' },
  'trigger.segment_exited': { segmentId: 'segment' },
  'trigger.date': {
    property: 'date property',
    offset: 'days before or after',
    at: 'time of day',
    repeat: 'every year or once',
  },
  'trigger.manual': {},
  'wait.delay': { duration: 'how long' },
  'wait.until': { time: 'time of day', weekdays: 'days of the week' },
  'wait.event': {
    event: 'event',
    where: 'event filter',
    humanOnly: 'only a person’s opens or clicks',
    timeout: 'time limit',
  },
  'wait.condition': { condition: 'condition', timeout: 'time limit' },
  'logic.condition': { condition: 'condition' },
  'logic.switch': { cases: 'paths' },
  'logic.split': { branches: 'branches' },
  'logic.goal': { condition: 'goal', onMet: 'what happens when met' },
  'logic.exit': {},
  'action.send_email': { templateId: 'email template', topic: 'topic' },
  'action.segment': { add: 'lists to add to', remove: 'lists to remove from' },
  'action.tag': { add: 'tags to add', remove: 'tags to remove' },
  'action.set_property': { property: 'property', value: 'value' },
  'action.score': { delta: 'points' },
  'action.webhook': {
    url: 'address',
    method: 'request method',
    headers: 'request headers',
    body: 'request body',
    timeoutMs: 'time limit',
    save: 'values saved to the contact',
  },
  'action.notify': { to: 'teammate’s address', subject: 'subject', body: 'message' },
} as const satisfies { [K in NodeKind]: Record<KeysOf<ConfigOf<K>>, string> };

/** A step setting's name ("email template"); the key itself for a kind or key not known. */
export function settingLabelOf(kind: string, key: string): string {
  const labels: Record<string, string> | undefined = Object.hasOwn(STEP_SETTING_LABELS, kind)
    ? STEP_SETTING_LABELS[kind as NodeKind]
    : undefined;
  return labels && Object.hasOwn(labels, key) ? labels[key]! : key;
}

/** The journey settings as the settings panel names them, for "what changed" lists. */
export const JOURNEY_SETTING_LABELS: Readonly<Record<keyof FlowSettings, string>> = {
  entryPolicy: 'who can enter',
  exitConditions: 'when contacts leave the journey',
  goalWindow: 'how long conversions count',
  quietHours: 'quiet hours',
  frequencyCap: 'frequency cap',
};

/** A journey setting's name ("who can enter"); the key itself for one not known. */
export function journeySettingLabelOf(key: string): string {
  return Object.hasOwn(JOURNEY_SETTING_LABELS, key)
    ? JOURNEY_SETTING_LABELS[key as keyof FlowSettings]
    : key;
}

/** Who can enter, as the settings panel offers it ("again after they left it"). */
export function entryPolicyWords(policy: unknown): string {
  const p = (policy ?? { kind: 'once' }) as { kind?: unknown; duration?: unknown };
  if (p.kind === 'after_exit') return 'again after they left it';
  if (p.kind === 'cooldown') {
    const span = typeof p.duration === 'string' ? describeDuration(p.duration) : null;
    return span === null
      ? 'again after a waiting period'
      : `again after a waiting period of ${span}`;
  }
  return 'each contact once, ever';
}
