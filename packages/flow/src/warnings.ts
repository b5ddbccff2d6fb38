// What may be wrong with a flow but need not be, shown before publishing and never refusing it:
// an event the workspace has not received yet is a typo (`order.complete` for
// `order.completed`), or the first of a new integration that has not sent one yet.

import { FlowDocument } from './document';
import type { FlowProblem } from './issues';
import { nodeReferences, settingsReferences } from './references';

/** Events Relance records itself (emails' fates, form sign-ups): known before the first one. */
const OWN_EVENT = /^(email|form)\./;

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
