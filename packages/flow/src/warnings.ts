// What may be wrong with a flow but need not be, shown before publishing and never refusing it:
// an event the workspace has not received yet is a typo (`order.complete` for
// `order.completed`), or the first of a new integration that has not sent one yet; a trigger or
// wait on opens or clicks that machines answer too; an event trigger that lets each contact in
// once, ever, so a customer's second order starts nothing; a segment trigger that does, so a
// contact who goes quiet a second time gets no second win-back.

import { eventCanBeMachine } from './condition';
import { FlowDocument, type FlowSettings } from './document';
import type { FlowProblem } from './issues';
import { nodeReferences, settingsReferences } from './references';

/** Events Relance records itself (emails' fates, form sign-ups): known before the first one. */
const OWN_EVENT = /^(email|form)\./;

// Names a signup goes by (Segment's spec says "Signed Up" and "Account Created").
const ONE_TIME_EVENT =
  /^(user |customer |account )?(signed up|sign up|signup|registered|registration completed|account created|created account|user created|customer created)$/;

/**
 * Whether `event` happens once in a contact's life (a signup, an account created), so that a
 * journey it starts letting each contact in once, ever is what is meant, not a trap.
 */
export function isOneTimeEvent(event: string): boolean {
  return ONE_TIME_EVENT.test(
    event
      .trim()
      .toLowerCase()
      .replace(/[._\s-]+/g, ' '),
  );
}

/** Every mention of an event `eventKnown` has not seen, at its step and field. */
export function flowWarnings(
  document: unknown,
  ctx: { eventKnown: (name: string) => boolean },
): FlowProblem[] {
  const parsed = FlowDocument.safeParse(document);
  if (!parsed.success) return [];
  const unknown = (name: string) => !OWN_EVENT.test(name) && !ctx.eventKnown(name);
  const message = (name: string) =>
    `No event called "${name}" has been received yet: check the spelling, unless it comes from an integration that has not sent one yet`;
  return [
    ...parsed.data.nodes.flatMap((node) => onceEver(node, parsed.data.settings)),
    ...parsed.data.nodes.flatMap(machinesAnswer),
    ...parsed.data.nodes.flatMap((node) =>
      nodeReferences(node)
        .filter((ref) => ref.type === 'event' && unknown(ref.id))
        .map((ref) => ({ nodeId: node.id, field: ref.field, message: message(ref.id) })),
    ),
    ...settingsReferences(parsed.data.settings)
      .filter((ref) => ref.type === 'event' && unknown(ref.id))
      .map((ref) => ({ field: ref.field, message: message(ref.id) })),
  ];
}

/**
 * An event trigger with no entry key in a journey each contact enters once, ever (the default of
 * a journey built from scratch): a customer's first order starts the post-purchase emails and
 * every later one nothing. It may be meant, so it is said, not refused; Relance's own events (an
 * email's fate, a form) and a signup under its usual names are left alone.
 */
function onceEver(node: FlowDocument['nodes'][number], settings: FlowSettings): FlowProblem[] {
  if (node.kind === 'trigger.segment_entered' || node.kind === 'trigger.segment_exited') {
    return onceEverSegment(node.id, node.kind, settings);
  }
  if (node.kind !== 'trigger.event' || node.config.entryKey !== undefined) return [];
  const { event } = node.config;
  if (settings.entryPolicy.kind !== 'once' || OWN_EVENT.test(event) || isOneTimeEvent(event)) {
    return [];
  }
  return [
    {
      nodeId: node.id,
      field: 'config.entryKey',
      message: `Each contact goes through this journey once, ever: their next "${event}" starts nothing. Choose “One journey per” (such as orderId) to start one for each, or let contacts in again under “Who can enter”, unless once ever is meant`,
    },
  ];
}

/**
 * A segment trigger in a journey each contact enters once, ever: membership comes and goes (a
 * customer who clicks again leaves Inactive, and falls silent again months later), and only the
 * first entry starts a run, so the second win-back is never sent. The built-in reactivation lets
 * contacts in again after they left it; a journey built from scratch does not.
 */
function onceEverSegment(
  nodeId: string,
  kind: 'trigger.segment_entered' | 'trigger.segment_exited',
  settings: FlowSettings,
): FlowProblem[] {
  if (settings.entryPolicy.kind !== 'once') return [];
  const verb = kind === 'trigger.segment_entered' ? 'enter' : 'leave';
  return [
    {
      nodeId,
      field: 'config.segmentId',
      message: `Each contact goes through this journey once, ever: the next time they ${verb} this segment, nothing starts. Let contacts in again under “Who can enter” (“Again after they left it”), unless once ever is meant`,
    },
  ];
}

/**
 * A trigger or wait on `email.opened` / `email.clicked` that counts machines' too: a link
 * scanner clicks every link seconds after delivery and Apple Mail's privacy proxy opens every
 * email, so "wait for a click" after a win-back email would be answered at once for anyone
 * behind one. It may be meant (a flow stored before the option existed keeps its meaning).
 */
function machinesAnswer(node: FlowDocument['nodes'][number]): FlowProblem[] {
  if (node.kind !== 'trigger.event' && node.kind !== 'wait.event') return [];
  const { event, humanOnly } = node.config;
  if (humanOnly === true || !eventCanBeMachine(event)) return [];
  const clicks = event === 'email.clicked';
  const what = clicks
    ? 'Link scanners click every link of an email as it is delivered'
    : 'Apple Mail’s privacy protection opens every email as it is delivered';
  const verb = node.kind === 'wait.event' ? 'end this wait' : 'start this journey';
  const option = clicks ? 'Only count clicks by a person' : 'Only count opens by a person';
  return [
    {
      nodeId: node.id,
      field: 'config.humanOnly',
      message: `${what}, and would ${verb}: turn on “${option}” unless you mean to count them`,
    },
  ];
}
