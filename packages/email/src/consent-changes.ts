import { domainToASCII } from 'node:url';
import type { Sql } from '@relance/db';
import {
  getFrequencyPreference,
  listEmailTopics,
  listTopicConsents,
  setFrequencyPreference,
  setTopicConsent,
  type FrequencyPreference,
} from './store/consents';
import {
  normaliseEmail,
  suppressAddress,
  suppressedSince,
  suppressionReasons,
  unsuppressAddress,
  type SuppressionReason,
} from './store/suppressions';
import type { ConfirmPayload } from './tracking';

/** An event for the caller to record with the contacts' events (and hand to journeys). */
export type ConsentEvent = {
  contactId: string;
  name: 'email.unsubscribed' | 'email.subscribed' | 'email.preferences_changed' | 'form.confirmed';
  properties: Record<string, unknown>;
  /** Recorded as the event's message id, so repeating the same change records it once. */
  dedupeKey?: string;
};

/** The contact a signed link names; a merged contact forwards to the one it was merged into. */
export type LinkContact = { id: string; email: string | null };

/** Where a consent change came from, kept with the consent (GDPR: provable consent). */
export type ConsentSource = { source: string; ip: string | null };

export async function findLinkContact(
  sql: Sql,
  workspaceId: string,
  contactId: string,
): Promise<LinkContact | null> {
  if (!UUID.test(contactId)) return null;
  const [row] = await sql<LinkContact[]>`
    select c.id, c.email from contacts source
    join contacts c on c.id = coalesce(source.merged_into, source.id)
    where source.workspace_id = ${workspaceId} and source.id = ${contactId}`;
  return row ?? null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Unsubscribes a contact from one topic, or from all marketing email (`topic` null: the
 * address is suppressed). Takes effect at once; returns the event to record, keyed to the
 * change (see unsubscribedKey). The event comes again while the unsubscribe stands, so a retry
 * after its recording failed records it, and a repeat or a second click at once records nothing
 * (same key); none comes when the contact's history already holds it without a key (recorded
 * before events carried one, or by the preference page).
 */
export async function unsubscribeContact(
  sql: Sql,
  input: {
    workspaceId: string;
    contact: LinkContact;
    topic: string | null;
    messageId: string | null;
  } & ConsentSource,
): Promise<ConsentEvent[]> {
  const { workspaceId, contact, topic } = input;
  const properties = { topic, scope: topic ? 'topic' : 'all', source: input.source };
  const message = input.messageId ? { messageId: input.messageId } : {};
  let change: { changed: boolean; since: string | null };
  if (topic === null) {
    if (!contact.email) return [];
    const added = await suppressAddress(sql, {
      workspaceId,
      email: contact.email,
      reason: 'unsubscribed',
      detail: `${input.source}${input.ip ? ` from ${input.ip}` : ''}`,
      messageId: input.messageId,
    });
    change = {
      changed: added,
      since: await suppressedSince(sql, workspaceId, contact.email, 'unsubscribed'),
    };
  } else {
    change = await withdrawTopicConsent(sql, {
      workspaceId,
      contactId: contact.id,
      topic,
      source: input.source,
      ip: input.ip,
    });
  }
  // Lifted again in between: that lift's `email.subscribed` is the last word.
  if (change.since === null) return [];
  if (!change.changed) {
    const last = await lastConsentEvents(sql, workspaceId, [contact.id], topic);
    if (recordedWithoutKey(last.get(contact.id))) return [];
  }
  return [
    {
      contactId: contact.id,
      name: 'email.unsubscribed',
      properties: { ...properties, ...message },
      dedupeKey: unsubscribedKey(contact.id, topic, change.since),
    },
  ];
}

/** Where a teammate's unsubscribe added by hand to the suppression list is recorded as coming from. */
export const SUPPRESSION_LIST_SOURCE = 'suppression_list';

/**
 * The contacts holding an address, in whichever form they write its domain (`exämple.test` or
 * `xn--exmple-cua.test`, both suppressed by one row): merged contacts forward to their survivor,
 * which holds an address of its own, so they are left out.
 */
export async function contactsWithAddress(
  sql: Sql,
  workspaceId: string,
  email: string,
): Promise<LinkContact[]> {
  const unicode = normaliseEmail(email);
  const at = unicode.lastIndexOf('@');
  const ascii = at > 0 ? domainToASCII(unicode.slice(at + 1)) : '';
  const forms = [...new Set([unicode, ascii ? `${unicode.slice(0, at)}@${ascii}` : unicode])];
  return sql<LinkContact[]>`
    select id, email from contacts
    where workspace_id = ${workspaceId} and email = any(${forms}::text[])
      and merged_into is null and relance_email_unicode(email) = ${unicode}
    order by created_at, id`;
}

/**
 * An unsubscribe from all marketing email a teammate adds by hand (the suppression list, its
 * API: the person asked by phone or letter): the address is suppressed as `unsubscribed`, and
 * every contact holding it gets the `email.unsubscribed` clicking unsubscribe gives (timeline,
 * segments, scoring, journeys), with `source` saying where it was added. `added` is false when
 * the address was already unsubscribed; the events still come while it stands, keyed to the
 * change, so adding it again finishes what a failed attempt left (a contact without the event)
 * and otherwise records nothing. No event when no contact holds it (the suppression waits for
 * whoever does).
 */
export async function unsubscribeAddress(
  sql: Sql,
  input: { workspaceId: string; email: string; detail: string; note?: string; source: string },
): Promise<{ added: boolean; events: ConsentEvent[] }> {
  const added = await suppressAddress(sql, {
    workspaceId: input.workspaceId,
    email: input.email,
    reason: 'unsubscribed',
    detail: input.detail,
  });
  const since = await suppressedSince(sql, input.workspaceId, input.email, 'unsubscribed');
  if (since === null) return { added, events: [] };
  const holders = await contactsWithAddress(sql, input.workspaceId, input.email);
  const last = added
    ? new Map<string, LastConsentEvent>()
    : await lastConsentEvents(
        sql,
        input.workspaceId,
        holders.map((h) => h.id),
        null,
      );
  const properties = {
    topic: null,
    scope: 'all',
    source: input.source,
    ...(input.note ? { note: input.note } : {}),
  };
  return {
    added,
    events: holders
      .filter((contact) => !recordedWithoutKey(last.get(contact.id)))
      .map((contact) => ({
        ...event(contact, 'email.unsubscribed', properties),
        dedupeKey: unsubscribedKey(contact.id, null, since),
      })),
  };
}

/**
 * Lifts an unsubscribe from all marketing email by hand: mail reaches the address again, which
 * is the person's consent coming back, so every contact holding it gets `email.subscribed`
 * (scope `all`, with `source`), as ticking a topic on the preference page gives, on their
 * timeline for anyone to see who did it. `removed` is false when the address was not
 * unsubscribed; the events then still come for the contacts whose history ends on an
 * unsubscribe from all (a lift whose events were not recorded), keyed to that unsubscribe, so a
 * retry finishes the lift and a repeat records nothing.
 */
export async function resubscribeAddress(
  sql: Sql,
  input: { workspaceId: string; email: string; source: string },
): Promise<{ removed: boolean; events: ConsentEvent[] }> {
  const removed = await unsuppressAddress(sql, input.workspaceId, input.email, 'unsubscribed');
  // Unsubscribed again since: nothing to finish.
  if (!removed && (await suppressedSince(sql, input.workspaceId, input.email, 'unsubscribed'))) {
    return { removed, events: [] };
  }
  const holders = await contactsWithAddress(sql, input.workspaceId, input.email);
  const last = await lastConsentEvents(
    sql,
    input.workspaceId,
    holders.map((h) => h.id),
    null,
  );
  const properties = { topic: null, scope: 'all', source: input.source };
  return {
    removed,
    events: holders
      .filter((contact) => removed || last.get(contact.id)?.name === 'email.unsubscribed')
      .map((contact) => ({
        ...event(contact, 'email.subscribed', properties),
        // Two lifts at once, or a retry, see the same last event and record one.
        dedupeKey: `email.subscribed:all:${contact.id}:after:${last.get(contact.id)?.id ?? 'none'}`,
      })),
  };
}

/** One topic on the preference page, as the contact currently stands. */
export type TopicPreference = {
  key: string;
  name: string;
  description: string;
  important: boolean;
  subscribed: boolean;
  /** Signed up through a double opt-in form and not confirmed yet. */
  pending: boolean;
};

export type PreferenceState = {
  email: string | null;
  topics: TopicPreference[];
  frequency: FrequencyPreference;
  unsubscribedFromAll: boolean;
  /** Every reason the address is on the suppression list (a bounce, a complaint, by hand…). */
  suppressedFor: SuppressionReason[];
};

/** What the hosted preference page shows for a contact. */
export async function loadPreferences(
  sql: Sql,
  workspaceId: string,
  contact: LinkContact,
): Promise<PreferenceState> {
  const [topics, consents, frequency, suppressions] = await Promise.all([
    listEmailTopics(sql, workspaceId),
    listTopicConsents(sql, contact.id),
    getFrequencyPreference(sql, contact.id),
    contact.email
      ? suppressionReasons(sql, workspaceId, contact.email)
      : Promise.resolve<SuppressionReason[]>([]),
  ]);
  const unsubscribedFromAll = suppressions.includes('unsubscribed');
  const statusOf = new Map(consents.map((c) => [c.topic, c.status]));
  return {
    email: contact.email,
    frequency,
    unsubscribedFromAll,
    suppressedFor: suppressions,
    topics: topics.map((topic) => {
      const status = statusOf.get(topic.key) ?? null;
      // An opt-out topic mails everyone who has not said no; an opt-in one only those who said yes.
      const effective = status === 'subscribed' || (status === null && !topic.optIn);
      return {
        key: topic.key,
        name: topic.name,
        description: topic.description,
        important: topic.important,
        subscribed: !unsubscribedFromAll && effective,
        pending: status === 'pending',
      };
    }),
  };
}

/**
 * Applies what the contact chose on the preference page, compared with what the page showed
 * them: each changed topic, the frequency, or "unsubscribe from all". Ticking a topic after
 * unsubscribing from all lifts that unsubscribe, and every topic left unticked is unsubscribed.
 * Returns one event per change.
 */
export async function savePreferences(
  sql: Sql,
  input: {
    workspaceId: string;
    contact: LinkContact;
    subscribedTopics: readonly string[];
    frequency: FrequencyPreference;
    unsubscribeAll: boolean;
  } & ConsentSource,
): Promise<ConsentEvent[]> {
  const { workspaceId, contact } = input;
  if (input.unsubscribeAll) {
    return unsubscribeContact(sql, { ...input, topic: null, messageId: null });
  }
  const before = await loadPreferences(sql, workspaceId, contact);
  const events: ConsentEvent[] = [];
  const wanted = new Set(input.subscribedTopics);
  let current = before.topics;
  if (before.unsubscribedFromAll && contact.email && before.topics.some((t) => wanted.has(t.key))) {
    await unsuppressAddress(sql, workspaceId, contact.email, 'unsubscribed');
    events.push(
      event(contact, 'email.subscribed', { topic: null, scope: 'all', source: input.source }),
    );
    // The page showed every topic unticked, but once the unsubscribe is lifted each topic mails
    // as its consent says (an opt-out topic without one mails): compare the choice with that,
    // so the topics left unticked end unsubscribed.
    current = (await loadPreferences(sql, workspaceId, contact)).topics;
  }
  for (const topic of current) {
    const want = wanted.has(topic.key);
    if (want === topic.subscribed) continue;
    await setTopicConsent(sql, {
      workspaceId,
      contactId: contact.id,
      topic: topic.key,
      status: want ? 'subscribed' : 'unsubscribed',
      source: input.source,
      ip: input.ip,
    });
    events.push(
      event(contact, want ? 'email.subscribed' : 'email.unsubscribed', {
        topic: topic.key,
        scope: 'topic',
        source: input.source,
      }),
    );
  }
  if (input.frequency !== before.frequency) {
    await setFrequencyPreference(sql, {
      workspaceId,
      contactId: contact.id,
      frequency: input.frequency,
    });
    events.push(
      event(contact, 'email.preferences_changed', {
        frequency: input.frequency,
        previous: before.frequency,
        source: input.source,
      }),
    );
  }
  return events;
}

/**
 * Confirms a double opt-in: the topics the form asked for become subscribed (and an earlier
 * "unsubscribe from all" is lifted: signing up again is consent). Null when the contact is
 * gone. `confirmed` lists the topics this click changed; empty for a second click.
 */
export async function confirmSubscription(
  sql: Sql,
  payload: ConfirmPayload,
  origin: ConsentSource,
): Promise<{ contact: LinkContact; confirmed: string[]; events: ConsentEvent[] } | null> {
  const contact = await findLinkContact(sql, payload.workspaceId, payload.contactId);
  if (!contact) return null;
  const consents = await listTopicConsents(sql, contact.id);
  const confirmed = payload.topics.filter(
    (topic) => !consents.some((c) => c.topic === topic && c.status === 'subscribed'),
  );
  for (const topic of confirmed) {
    await setTopicConsent(sql, {
      workspaceId: payload.workspaceId,
      contactId: contact.id,
      topic,
      status: 'subscribed',
      source: origin.source,
      ip: origin.ip,
    });
  }
  if (contact.email) {
    await unsuppressAddress(sql, payload.workspaceId, contact.email, 'unsubscribed');
  }
  const events: ConsentEvent[] = [
    {
      ...event(contact, 'form.confirmed', { formId: payload.formId, topics: payload.topics }),
      // A second click on the same link confirms nothing new.
      dedupeKey: `form.confirmed:${payload.formId}:${contact.id}`,
    },
    ...confirmed.map((topic) =>
      event(contact, 'email.subscribed', {
        topic,
        scope: 'topic',
        source: origin.source,
        formId: payload.formId,
      }),
    ),
  ];
  return { contact, confirmed, events };
}

function event(
  contact: LinkContact,
  name: ConsentEvent['name'],
  properties: Record<string, unknown>,
): ConsentEvent {
  return { contactId: contact.id, name, properties };
}

/**
 * An unsubscribe's event key: the contact, the scope, and when the unsubscribe it records began
 * (the suppression's or the topic consent's time), so each unsubscribe is recorded once, and one
 * after a lift anew.
 */
function unsubscribedKey(contactId: string, topic: string | null, since: string): string {
  return `email.unsubscribed:${topic === null ? 'all' : `topic:${topic}`}:${contactId}:${since}`;
}

/** A contact's latest `email.unsubscribed` or `email.subscribed` of one scope. */
type LastConsentEvent = { id: string; name: string; messageId: string | null };

/** Each contact's latest consent event about all email (`topic` null) or about one topic. */
async function lastConsentEvents(
  sql: Sql,
  workspaceId: string,
  contactIds: readonly string[],
  topic: string | null,
): Promise<Map<string, LastConsentEvent>> {
  if (contactIds.length === 0) return new Map();
  const rows = await sql<(LastConsentEvent & { contactId: string })[]>`
    select distinct on (contact_id) contact_id, id::text as id, name, message_id from events
    where workspace_id = ${workspaceId} and contact_id = any(${contactIds as string[]}::uuid[])
      and name in ('email.unsubscribed', 'email.subscribed')
      and properties ->> 'scope' = ${topic === null ? 'all' : 'topic'}
      ${topic === null ? sql`` : sql`and properties ->> 'topic' = ${topic}`}
    order by contact_id, occurred_at desc, received_at desc, id desc`;
  return new Map(rows.map(({ contactId, ...last }) => [contactId, last]));
}

// An unsubscribe recorded without a key (before events carried one, or from the preference page)
// is the one this change would record: recording it keyed would count it twice.
function recordedWithoutKey(last: LastConsentEvent | undefined): boolean {
  return last?.name === 'email.unsubscribed' && last.messageId === null;
}

/**
 * Withdraws a contact's consent to a topic unless it is withdrawn already, in one statement, so
 * two at once change it once. `since` is when the withdrawal standing now began (null when the
 * topic is no longer unsubscribed).
 */
async function withdrawTopicConsent(
  sql: Sql,
  input: { workspaceId: string; contactId: string; topic: string } & ConsentSource,
): Promise<{ changed: boolean; since: string | null }> {
  const [changed] = await sql<{ since: string }[]>`
    insert into contact_topic_consents as c (workspace_id, contact_id, topic, status, source, ip)
    values (${input.workspaceId}, ${input.contactId}, ${input.topic}, 'unsubscribed',
            ${input.source}, ${input.ip})
    on conflict (contact_id, topic) do update
    set status = excluded.status, source = excluded.source, ip = excluded.ip, updated_at = now()
    where c.status <> 'unsubscribed'
    returning (extract(epoch from updated_at) * 1000000)::bigint::text as since`;
  if (changed) return { changed: true, since: changed.since };
  const [kept] = await sql<{ since: string }[]>`
    select (extract(epoch from updated_at) * 1000000)::bigint::text as since
    from contact_topic_consents
    where contact_id = ${input.contactId} and topic = ${input.topic} and status = 'unsubscribed'`;
  return { changed: false, since: kept?.since ?? null };
}
