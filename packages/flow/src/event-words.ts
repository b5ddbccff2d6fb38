// Events the app knows the meaning of, in words: a step reads "When a contact clicks an email",
// not "When email.clicked happens". An event of the workspace's own stays as it was written.

import type { DescribeContext } from './common';

/** One event in the forms a sentence needs. */
export interface EventWords {
  /** "When a contact clicks an email" */
  readonly does: string;
  /** "Wait up to 3 days for the contact to click an email" */
  readonly do: string;
  /** "clicked an email in the last week" */
  readonly did: string;
  /** "did not click an email" */
  readonly didNot: string;
  /** "last clicked an email more than 15 days ago" */
  readonly last: string;
}

function words(does: string, doing: string, did: string, didNot: string, last?: string) {
  return { does, do: doing, did, didNot, last: last ?? `last ${did}` };
}

// Relance records these itself (the timeline and the email conditions say them the same way).
const OWN_EVENTS: Readonly<Record<string, EventWords>> = {
  'email.sent': words(
    'is sent an email',
    'be sent an email',
    'was sent an email',
    'was not sent an email',
    'was last sent an email',
  ),
  'email.delivered': words(
    'receives an email',
    'receive an email',
    'received an email',
    'did not receive an email',
  ),
  'email.opened': words(
    'opens an email',
    'open an email',
    'opened an email',
    'did not open an email',
  ),
  'email.clicked': words(
    'clicks an email',
    'click an email',
    'clicked an email',
    'did not click an email',
  ),
  'email.bounced': words(
    'has an email bounce',
    'have an email bounce',
    'had an email bounce',
    'had no email bounce',
    'last had an email bounce',
  ),
  'email.complained': words(
    'marks an email as spam',
    'mark an email as spam',
    'marked an email as spam',
    'did not mark an email as spam',
  ),
  'email.unsubscribed': words('unsubscribes', 'unsubscribe', 'unsubscribed', 'did not unsubscribe'),
  // An `identify` call: the contact's traits were sent (the timeline's "Identified").
  $identify: words(
    'is identified',
    'be identified',
    'was identified',
    'was not identified',
    'was last identified',
  ),
  'form.submitted': words(
    'submits a signup form',
    'submit a signup form',
    'submitted a signup form',
    'did not submit a signup form',
  ),
};

const ORDER = words(
  'places an order',
  'place an order',
  'placed an order',
  'did not place an order',
);

/**
 * The words for `event` when the app knows what it means (an email's fate, a form signup, the
 * workspace's order event); undefined for any other event, which is named as written.
 */
export function eventWords(event: string, ctx: DescribeContext = {}): EventWords | undefined {
  if (Object.hasOwn(OWN_EVENTS, event)) return OWN_EVENTS[event];
  return ctx.orderEvent !== undefined && event === ctx.orderEvent ? ORDER : undefined;
}
