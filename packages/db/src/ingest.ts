import { insertEventRows, noteEvents, type EventRow } from './events';
import {
  IdentityIndex,
  IdentityRaceError,
  keptEmailReason,
  normaliseEmail,
  saveAliases,
  saveIdentities,
  type IdentityMatch,
  type Identity,
} from './ingest-identity';
import { applyIdentifyMerges, findIdentifyMerges, lockMergeContacts } from './ingest-merge';
import { writeJourneyOutbox } from './journey-dispatch-outbox';
import { newSeenFacts, noteProperties, registerSeenFacts } from './known-properties';
import type { Sql, TransactionSql } from './sql';
import { isKnownTimeZone } from './time-zones';

export type { Identity } from './ingest-identity';
export { normaliseEmail } from './ingest-identity';

/**
 * A validated Segment-spec message (page/screen arrive as tracks of page.viewed/screen.viewed;
 * an alias names its new id as `identity.userId`).
 */
export type IngestMessage =
  | {
      type: 'identify';
      identity: Identity;
      /** Traits other than email, timezone and lifecycle stage: merged into properties (null removes). */
      traits: Record<string, unknown>;
      /** The raw traits, kept on the `$identify` event. */
      rawTraits: Record<string, unknown>;
      timezone?: string | undefined;
      /** undefined: leave as is; null: clear. */
      lifecycleStage?: string | null | undefined;
      occurredAt: Date;
      messageId?: string | undefined;
    }
  | {
      type: 'track';
      identity: Identity;
      event: string;
      properties: Record<string, unknown>;
      occurredAt: Date;
      messageId?: string | undefined;
    }
  | {
      type: 'alias';
      /** The userId only: the id the person is known by from now on. */
      identity: Identity;
      /** The id the person was known by: an earlier userId, an anonymousId (or an email). */
      previousId: string;
      occurredAt: Date;
      messageId?: string | undefined;
    };

export interface IngestWarning {
  field: string;
  message: string;
}

export type IngestOutcome =
  | { status: 'accepted'; contactId: string; eventId: string; warnings?: IngestWarning[] }
  | { status: 'duplicate'; contactId: string };

export interface IngestResult {
  outcomes: IngestOutcome[];
  /** New event ids, for JourneyDispatcher.eventsRecorded. */
  eventIds: string[];
  /** Contacts with new events or facts: their segments are re-evaluated next. */
  contactIds: string[];
  /** Contacts created or changed by identify: JourneyDispatcher.contactsChanged. */
  changedContactIds: string[];
  /** The names of the events each contact received: only the segments reading them are re-checked. */
  eventsByContact: Map<string, string[]>;
  /** Segment changes made in the transaction (by identify merges): to dispatch after commit. */
  changeIds: string[];
  /**
   * The transaction's journey_outbox row (its events, changes and changed contacts), or null
   * when it committed none: delete it once they are dispatched (deleteJourneyOutbox).
   */
  outboxId: string | null;
}

export const IDENTIFY_EVENT = '$identify';
/** The event an alias leaves on its contact's timeline (`{ previousId }`). */
export const ALIAS_EVENT = '$alias';

interface TraitPatch {
  id: string;
  set: Record<string, unknown>;
  unset: string[];
  email: string | null;
  timezone: string | null;
  hasStage: boolean;
  lifecycleStage: string | null;
}

const errorCode = (error: unknown) =>
  typeof error === 'object' && error !== null ? (error as { code?: string }).code : undefined;
const isUniqueViolation = (error: unknown) => errorCode(error) === '23505';
/** An event's contact is gone: deleted (erased) after this batch resolved or remembered it. */
const isForeignKeyViolation = (error: unknown) => errorCode(error) === '23503';
/** A contact this batch was about to merge was merged by a concurrent batch (another lane). */
const isMergedMeanwhile = (error: unknown) => errorCode(error) === 'already_merged';

/**
 * userId → contact id of recently seen contacts, kept by the caller (one per API process), so
 * the common batch — tracks of known users — needs no identity lookup. An id that has since
 * been merged still works: events follow merged_into when they are inserted. A track that
 * also names an anonymousId skips the lookup only once that anonymousId was resolved with its
 * userId (joined, or found to be another user's device): until then it may name an anonymous
 * contact to join. Resolving it left it durable (the contact's anonymousId, or remembered for the
 * contact in contact_aliases), so the browser's anonymous-only events, which are never cached,
 * join the contact, and one made meanwhile in another lane is merged by the next of them.
 */
export class KnownContacts {
  private readonly byWorkspace = new Map<string, Map<string, string>>();
  /** anonymousId → the contact a message with a userId and that anonymousId went to. */
  private readonly devices = new Map<string, Map<string, string>>();
  constructor(private readonly capacity = 200_000) {}

  get(workspaceId: string, userId: string): string | undefined {
    return this.byWorkspace.get(workspaceId)?.get(userId);
  }

  /** The contact a message is about, when it needs no identity resolution. */
  lookup(workspaceId: string, identity: Identity): string | undefined {
    if (!identity.userId) return undefined;
    const contactId = this.get(workspaceId, identity.userId);
    if (contactId === undefined || !identity.anonymousId) return contactId;
    return this.devices.get(workspaceId)?.get(identity.anonymousId) === contactId
      ? contactId
      : undefined;
  }

  forget(workspaceId: string, userId: string) {
    this.byWorkspace.get(workspaceId)?.delete(userId);
  }

  remember(workspaceId: string, userId: string, contactId: string) {
    this.put(this.byWorkspace, workspaceId, userId, contactId);
  }

  rememberDevice(workspaceId: string, anonymousId: string, contactId: string) {
    this.put(this.devices, workspaceId, anonymousId, contactId);
  }

  private put(
    maps: Map<string, Map<string, string>>,
    workspaceId: string,
    key: string,
    contactId: string,
  ) {
    let known = maps.get(workspaceId);
    if (!known) maps.set(workspaceId, (known = new Map<string, string>()));
    if (known.size >= this.capacity) known.delete(known.keys().next().value!);
    known.set(key, contactId);
  }
}

const eventOf = (m: IngestMessage): { name: string; properties: Record<string, unknown> } => {
  switch (m.type) {
    case 'identify':
      return { name: IDENTIFY_EVENT, properties: m.rawTraits };
    case 'alias':
      return { name: ALIAS_EVENT, properties: { previousId: m.previousId } };
    case 'track':
      return { name: m.event, properties: m.properties };
    default:
      return m satisfies never;
  }
};

const toRow = (m: IngestMessage, contactId: string, now: Date): EventRow => ({
  contactId,
  ...eventOf(m),
  occurredAt: m.occurredAt > now ? now : m.occurredAt,
  messageId: m.messageId ?? null,
  source: 'api',
});

/**
 * Tracks of users `known` has seen: no identity lookup, and a transaction of two statements, the
 * events and their journey outbox row.
 */
async function ingestKnown(
  sql: Sql,
  workspaceId: string,
  messages: readonly IngestMessage[],
  contactIds: string[],
  now: Date,
): Promise<IngestResult> {
  const seen = newSeenFacts();
  const rows = messages.map((m, i) => toRow(m, contactIds[i]!, now));
  noteEvents(seen, rows);
  // New event or property names are rare; registering them first keeps the insert alone.
  const remember = await registerSeenFacts(sql, sql, workspaceId, seen);
  // One statement: the events, their rollups, queue rows and journey outbox row.
  const inserted = await insertEventRows(sql, workspaceId, rows, now, { outbox: true });
  const { outboxId } = inserted;
  remember();
  const outcomes = rows.map((r, i): IngestOutcome =>
    inserted.eventIds[i]
      ? { status: 'accepted', contactId: r.contactId, eventId: inserted.eventIds[i] }
      : { status: 'duplicate', contactId: r.contactId },
  );
  return {
    outcomes,
    eventIds: inserted.eventIds.filter((id): id is string => id !== null),
    contactIds: inserted.contactIds,
    changedContactIds: [],
    eventsByContact: inserted.events,
    changeIds: [],
    outboxId,
  };
}

/**
 * Writes a batch of messages: resolves or creates their contacts, stores every message as an
 * event (a replayed messageId is a duplicate, accepted and ignored), updates the rollups and
 * the segment queue, applies identify traits and registers new property names, in one
 * transaction. Events cannot be from the future: timestamps after `now` are clamped. With
 * `known`, tracks of already seen users skip identity resolution.
 */
export async function ingestMessages(
  sql: Sql,
  workspaceId: string,
  messages: readonly IngestMessage[],
  options: { now?: Date; known?: KnownContacts } = {},
): Promise<IngestResult> {
  const now = options.now ?? new Date();
  const known = options.known;
  const cachedIds = () =>
    messages.map((m) =>
      known && m.type === 'track' ? known.lookup(workspaceId, m.identity) : undefined,
    );
  // A remembered contact that was deleted since fails the events' contact check: the batch's
  // users are forgotten and resolved afresh (a deleted user who comes back is a new contact).
  const forgetBatch = () => {
    for (const m of messages) if (m.identity.userId) known?.forget(workspaceId, m.identity.userId);
  };
  let cached = cachedIds();
  if (messages.length > 0 && cached.every((id) => id !== undefined)) {
    try {
      return await ingestKnown(sql, workspaceId, messages, cached, now);
    } catch (error) {
      if (!isForeignKeyViolation(error)) throw error;
      forgetBatch();
      cached = cachedIds();
    }
  }
  for (let attempt = 1; ; attempt++) {
    try {
      const seen = newSeenFacts();
      const { result, remember } = await sql.begin(async (tx) => {
        const ingested = await ingestIn(tx, sql, workspaceId, messages, now, seen, cached);
        // Pipelined: one round trip for both.
        const [remember, outboxId] = await Promise.all([
          registerSeenFacts(tx, sql, workspaceId, seen),
          writeJourneyOutbox(tx, workspaceId, {
            eventIds: ingested.eventIds,
            changeIds: ingested.changeIds,
            contactIds: ingested.changedContactIds,
          }),
        ]);
        return { result: { ...ingested, outboxId }, remember };
      });
      remember();
      if (known) {
        messages.forEach((m, i) => {
          const { userId, anonymousId } = m.identity;
          const outcome = result.outcomes[i]!;
          if (userId) known.remember(workspaceId, userId, outcome.contactId);
          // Resolved with its userId: joined, or found to be another user's device.
          if (userId && anonymousId && outcome.status === 'accepted')
            known.rememberDevice(workspaceId, anonymousId, outcome.contactId);
        });
      }
      return result;
    } catch (error) {
      if (attempt >= 3) throw error;
      // Another writer created or claimed one of these identities meanwhile: the next attempt sees it.
      if (
        error instanceof IdentityRaceError ||
        isUniqueViolation(error) ||
        isMergedMeanwhile(error)
      )
        continue;
      if (isForeignKeyViolation(error)) {
        forgetBatch();
        cached = cachedIds();
        continue;
      }
      throw error;
    }
  }
}

/** The contact (its survivor, if merged since) each already stored message id was stored on. */
async function storedMessages(
  tx: TransactionSql,
  workspaceId: string,
  messageIds: readonly string[],
): Promise<Map<string, string>> {
  if (messageIds.length === 0) return new Map();
  const rows = await tx<{ messageId: string; contactId: string }[]>`
    select e.message_id, coalesce(c.merged_into, e.contact_id) as contact_id
    from events e left join contacts c on c.id = e.contact_id
    where e.workspace_id = ${workspaceId} and e.message_id = any(${[...new Set(messageIds)]}::text[])`;
  return new Map(rows.map((r) => [r.messageId, r.contactId]));
}

/**
 * A contact made for an id at the instant (in another lane) that id was remembered for another
 * contact (contact_aliases) is the same person: the first message of the batch naming that id
 * merges it into the contact the id was remembered for. A contact with its own userId holding a
 * remembered anonymousId is a shared device, as for identify, and stays apart.
 */
function aliasMerges(
  index: IdentityIndex,
  messages: readonly IngestMessage[],
  fixed: readonly (string | undefined)[],
): ReturnType<typeof findIdentifyMerges>['pairs'] {
  if (index.aliasConflicts.length === 0) return [];
  const merged = new Set<(typeof index.aliasConflicts)[number]>();
  return messages.flatMap((m, i) => {
    if (fixed[i] !== undefined) return [];
    return index.aliasConflicts.flatMap((c) => {
      const named =
        c.field === 'externalId'
          ? m.identity.userId === c.value
          : m.identity.anonymousId === c.value;
      if (!named || merged.has(c)) return [];
      if (c.field === 'anonymousId' && c.holder.externalId !== null) return [];
      merged.add(c);
      return [
        {
          survivor: c.target,
          other: c.holder,
          field: c.field === 'externalId' ? ('userId' as const) : ('anonymousId' as const),
          messageId: m.messageId ?? null,
          by: m.type,
        },
      ];
    });
  });
}

async function ingestIn(
  tx: TransactionSql,
  pool: Sql,
  workspaceId: string,
  messages: readonly IngestMessage[],
  now: Date,
  seen: ReturnType<typeof newSeenFacts>,
  cached: readonly (string | undefined)[],
): Promise<Omit<IngestResult, 'outboxId'>> {
  // Tracks of users seen before keep their contact, and a replayed message the contact its
  // first delivery was stored on: it is not resolved, so it creates, links and merges nothing.
  // Only the others are resolved.
  const replayed = await storedMessages(
    tx,
    workspaceId,
    messages.flatMap((m, i) => (cached[i] === undefined && m.messageId ? [m.messageId] : [])),
  );
  const fixed = messages.map(
    (m, i) => cached[i] ?? (m.messageId === undefined ? undefined : replayed.get(m.messageId)),
  );
  const index = new IdentityIndex();
  // An alias's previousId may be a userId, an anonymousId or an email: one lookup finds any.
  await index.load(
    tx,
    workspaceId,
    messages
      .filter((_, i) => fixed[i] === undefined)
      .flatMap((m) =>
        m.type === 'alias'
          ? [
              m.identity,
              {
                userId: m.previousId,
                anonymousId: m.previousId,
                email: normaliseEmail(m.previousId),
              },
            ]
          : [m.identity],
      ),
  );
  // The contact each alias's previousId names.
  const previous = new Map<number, ReturnType<IdentityIndex['matchAlias']>['previous']>();
  const matches: IdentityMatch[] = messages.map((m, i) => {
    if (fixed[i] !== undefined) {
      return {
        ref: { id: fixed[i], externalId: null, email: null, anonymousId: null, linked: false },
        throughMerged: null,
      };
    }
    if (m.type !== 'alias') return index.match(m.identity);
    const alias = index.matchAlias(m.identity.userId!, m.previousId);
    previous.set(i, alias.previous);
    return alias.match;
  });
  const refs = matches.map((m) => m.ref);
  // A message repeated within the batch merges once, as its first copy.
  const firstCopies = new Map<string, number>();
  messages.forEach((m, i) => {
    if (m.messageId !== undefined && !firstCopies.has(m.messageId)) firstCopies.set(m.messageId, i);
  });
  const firstCopy = (m: IngestMessage, i: number) =>
    m.messageId === undefined || firstCopies.get(m.messageId) === i;
  // An identify, an alias, or a track (page, screen) naming both a userId and an anonymousId (a
  // login that forwards the browser's id, as Segment's server libraries do), joins what it names.
  const claims = messages.flatMap((m, i) =>
    (m.type !== 'track' || (m.identity.userId && m.identity.anonymousId)) &&
    fixed[i] === undefined &&
    firstCopy(m, i)
      ? [
          {
            ref: refs[i]!,
            ...m.identity,
            previous: previous.get(i),
            messageId: m.messageId,
            message: i,
            by: m.type,
          },
        ]
      : [],
  );
  const { pairs, sharedDevice, emailTaken, previousOfOtherUser } = findIdentifyMerges(
    index,
    claims,
  );
  pairs.push(...aliasMerges(index, messages, fixed));
  await lockMergeContacts(tx, workspaceId, pairs);
  await saveIdentities(tx, workspaceId, index, now);
  await saveAliases(tx, workspaceId, index, now);

  const rows: EventRow[] = messages.map((m, i) => toRow(m, refs[i]!.id!, now));
  const inserted = await insertEventRows(tx, workspaceId, rows, now);
  const { eventIds } = inserted;
  noteEvents(
    seen,
    rows.filter((_, i) => eventIds[i] !== null),
  );
  const { survivorOf, changeIds } = await applyIdentifyMerges(tx, workspaceId, pairs, now);
  const contactOf = (i: number) => survivorOf(refs[i]!.id!);

  // Identify traits, folded per contact in message order; replays change nothing.
  const warnings = new Map<number, IngestWarning[]>();
  const warn = (i: number, warning: IngestWarning) =>
    warnings.set(i, [...(warnings.get(i) ?? []), warning]);
  for (const c of claims) {
    if (sharedDevice.has(c.message)) {
      warn(c.message, {
        field: 'anonymousId',
        message: `${c.anonymousId} belongs to another contact with its own userId (a shared device?); the two were not merged`,
      });
    }
    if (previousOfOtherUser.has(c.message)) {
      const m = messages[c.message] as Extract<IngestMessage, { type: 'alias' }>;
      const what =
        c.previous?.field === 'email' ? 'the email' : 'the anonymousId (a shared device?)';
      warn(c.message, {
        field: 'previousId',
        message: `${m.previousId} is ${what} of another contact with its own userId, so the two were not merged. If they are the same person, send that contact's userId as previousId, or merge them from the contact's page`,
      });
    }
  }
  const patches = new Map<string, TraitPatch>();
  for (const [i, m] of messages.entries()) {
    if (m.type !== 'identify' || eventIds[i] === null) continue;
    const ref = refs[i]!;
    const contactId = contactOf(i);
    const patch = patches.get(contactId) ?? {
      id: contactId,
      set: {},
      unset: [],
      email: null,
      timezone: null,
      hasStage: false,
      lifecycleStage: null,
    };
    for (const [key, value] of Object.entries(m.traits)) {
      if (value === null) {
        delete patch.set[key];
        if (!patch.unset.includes(key)) patch.unset.push(key);
      } else {
        patch.set[key] = value;
        patch.unset = patch.unset.filter((k) => k !== key);
      }
    }
    noteProperties(seen, 'contact', '', m.traits);
    // Whoever held the email before was merged into this contact above, unless it is another
    // user (or took the email earlier in this batch): then the email stays theirs.
    const email = m.identity.email;
    const kept = email ? keptEmailReason(matches[i]!, email) : null;
    const holder = email ? index.holderOfEmail(email) : undefined;
    const taken = emailTaken.has(i) || (holder?.id && survivorOf(holder.id) !== contactId);
    if (email && taken) {
      const whose = holder?.externalId === null ? '' : ' with its own userId';
      warn(i, {
        field: 'traits.email',
        message: `${email} belongs to another contact${whose}, so it was not set on this one and the two were not merged. If they are the same person, merge them from the contact's page`,
      });
    } else if (kept) warn(i, { field: 'traits.email', message: kept });
    else if (email && ref.email !== email) {
      index.changeEmail(ref, email);
      patch.email = email;
    }
    if (m.timezone !== undefined) {
      if (await isKnownTimeZone(tx, pool, m.timezone)) patch.timezone = m.timezone;
      else {
        warn(i, {
          field: 'traits.timezone',
          message: `Unknown time zone ${m.timezone}; use an IANA name such as Europe/Paris`,
        });
      }
    }
    if (m.lifecycleStage !== undefined) {
      patch.hasStage = true;
      patch.lifecycleStage = m.lifecycleStage;
    }
    patches.set(contactId, patch);
  }
  if (patches.size > 0) {
    const rows = [...patches.values()].sort((a, b) => a.id.localeCompare(b.id));
    await tx`
      update contacts c set
        properties = (c.properties || x.set) - x.unset,
        email = coalesce(x.email, c.email),
        timezone = coalesce(x.timezone, c.timezone),
        lifecycle_stage = case when x.has_stage then x.lifecycle_stage else c.lifecycle_stage end,
        updated_at = ${now}
      from jsonb_to_recordset(${tx.json(rows.map((r) => ({ id: r.id, set: r.set, unset: r.unset, email: r.email, timezone: r.timezone, has_stage: r.hasStage, lifecycle_stage: r.lifecycleStage })) as never)}::jsonb)
        as x(id uuid, set jsonb, unset text[], email text, timezone text, has_stage boolean, lifecycle_stage text)
      where c.id = x.id`;
  }

  const outcomes = messages.map((_, i): IngestOutcome => {
    const contactId = contactOf(i);
    const eventId = eventIds[i];
    if (eventId === null || eventId === undefined) return { status: 'duplicate', contactId };
    const w = warnings.get(i);
    return { status: 'accepted', contactId, eventId, ...(w ? { warnings: w } : {}) };
  });
  const accepted = outcomes.filter((o) => o.status === 'accepted');
  const eventsByContact = new Map<string, string[]>();
  for (const [id, names] of inserted.events) {
    const survivor = survivorOf(id);
    eventsByContact.set(survivor, [
      ...new Set([...(eventsByContact.get(survivor) ?? []), ...names]),
    ]);
  }
  return {
    outcomes,
    eventIds: accepted.map((o) => o.eventId),
    contactIds: [...eventsByContact.keys()],
    // An alias may give a contact its userId: every segment is checked again, as for identify.
    changedContactIds: [
      ...new Set([
        ...index.created.map((r) => survivorOf(r.id!)),
        ...patches.keys(),
        ...messages.flatMap((m, i) =>
          m.type === 'alias' && eventIds[i] !== null ? [contactOf(i)] : [],
        ),
      ]),
    ],
    eventsByContact,
    changeIds,
  };
}
