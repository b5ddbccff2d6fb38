// Which event property tells one entry from the next: an order's id, so that every order starts
// its own post-purchase run.

// Ids of the person rather than of the thing: one run per user id is one run per contact.
const PERSON_ID = /^(user|contact|customer|visitor|anonymous|session|device|account)_?id$/i;
const ID = /(^id$|Id$|_id$|ID$)/;

/**
 * The event property a marketer most likely means by "one journey per" for `event`: the id named
 * after the event's object (`orderId` for `order.completed`), else its only other id. Undefined
 * when none is known or several are equally likely.
 */
export function suggestEntryKey(event: string, properties: readonly string[]): string | undefined {
  const ids = properties.filter((name) => ID.test(name) && !PERSON_ID.test(name));
  const object = event.split(/[._\s]/)[0]?.toLowerCase() ?? '';
  const named = ids.find((name) => name.toLowerCase().replace(/_/g, '') === `${object}id`);
  if (named) return named;
  return ids.length === 1 ? ids[0] : undefined;
}
