import { UUID } from '@relance/segments';
import { DataError, notFoundError } from './data-error';
import { insertEventRows } from './events';
import { writeJourneyOutbox } from './journey-dispatch-outbox';
import { settleContactsIn } from './segment-engine';
import { lockContacts, lockWorkspaceShared } from './segment-locks';
import type { Sql, TransactionSql } from './sql';

// Tables this module moves itself; every other table referencing contacts (journey runs,
// email messages, …) is moved generically below.
const OWN_TABLES = new Set([
  'contacts',
  'events',
  'contact_event_rollups',
  'segment_members',
  'segment_changes',
  'segment_queue',
  'contact_date_properties',
  'contact_topic_consents',
  'contact_email_preferences',
]);

export interface MergeResult {
  contactId: string;
  mergedId: string;
  movedEvents: number;
  /** Rows of other tables moved to the survivor (or decided against the survivor's), per table. */
  moved: Record<string, number>;
  changeIds: string[];
}

/**
 * Moves rows of every other table that references contacts. Those tables hold no row per
 * contact: a table keyed by contact needs its own rule for two rows about one thing (see
 * mergeConsents), so a key violation here fails the merge instead of leaving rows behind.
 */
async function moveReferences(tx: TransactionSql, survivor: string, other: string) {
  const references = await tx<{ table: string; column: string }[]>`
    select c.conrelid::regclass::text as table, a.attname as column
    from pg_constraint c
    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
    where c.contype = 'f' and c.confrelid = 'contacts'::regclass and cardinality(c.conkey) = 1
    order by 1, 2`;
  const moved: Record<string, number> = {};
  for (const ref of references) {
    if (OWN_TABLES.has(ref.table)) continue;
    const result =
      await tx`update ${tx(ref.table)} set ${tx(ref.column)} = ${survivor} where ${tx(ref.column)} = ${other}`;
    moved[ref.table] = result.count;
  }
  return moved;
}

/**
 * Moves the other contact's topic consents, frequency preference and "unsubscribed from all"
 * to the survivor: a merge never loses an unsubscribe. Where both said something about one
 * topic, an unsubscribe wins; between subscribed and pending (a double opt-in not confirmed
 * yet) the decision recorded for the address the survivor keeps wins, since a confirmation
 * confirms an address; the same status keeps the more recent record. The stricter frequency
 * wins (important only, then monthly, then every email).
 */
async function mergeConsents(
  tx: TransactionSql,
  workspaceId: string,
  survivor: { id: string; email: string | null },
  other: { id: string; email: string | null },
): Promise<Record<string, number>> {
  const keepsOthersAddress = survivor.email === null && other.email !== null;
  const [consents] = await tx<{ n: number }[]>`
    with theirs as (
      delete from contact_topic_consents where contact_id = ${other.id} returning *
    ), kept as (
      insert into contact_topic_consents as c
        (workspace_id, contact_id, topic, status, source, ip, updated_at)
      select workspace_id, ${survivor.id}, topic, status, source, ip, updated_at from theirs
      on conflict (contact_id, topic) do update set
        status = excluded.status, source = excluded.source, ip = excluded.ip,
        updated_at = excluded.updated_at
      where case
        when c.status = excluded.status then excluded.updated_at > c.updated_at
        when 'unsubscribed' in (c.status, excluded.status) then excluded.status = 'unsubscribed'
        else ${keepsOthersAddress}::boolean
      end)
    select count(*)::int as n from theirs`;
  const [preferences] = await tx<{ n: number }[]>`
    with theirs as (
      delete from contact_email_preferences where contact_id = ${other.id} returning *
    ), kept as (
      insert into contact_email_preferences as p (contact_id, workspace_id, frequency, updated_at)
      select ${survivor.id}, workspace_id, frequency, updated_at from theirs
      on conflict (contact_id) do update set
        frequency = excluded.frequency, updated_at = excluded.updated_at
      where array_position(array['every', 'monthly', 'important'], excluded.frequency)
          > array_position(array['every', 'monthly', 'important'], p.frequency)
        or (excluded.frequency = p.frequency and excluded.updated_at > p.updated_at))
    select count(*)::int as n from theirs`;
  // "Unsubscribe from all" stops mail to an address, and the person is now mailed at the
  // survivor's.
  const suppressions =
    other.email !== null && survivor.email !== null && other.email !== survivor.email
      ? await tx`
          insert into email_suppressions (workspace_id, email, reason, detail, message_id)
          select workspace_id, relance_email_unicode(${survivor.email}), reason,
            ${`Unsubscribed from all as ${other.email}, a contact merged into this one`},
            message_id
          from email_suppressions
          where workspace_id = ${workspaceId} and email = relance_email_unicode(${other.email})
            and reason = 'unsubscribed'
          on conflict (workspace_id, email, reason) do nothing`
      : { count: 0 };
  return {
    contact_topic_consents: consents!.n,
    contact_email_preferences: preferences!.n,
    email_suppressions: suppressions.count,
  };
}

/** The event a merge leaves on the survivor's timeline. */
export const MERGE_EVENT = '$merge';

export interface MergeInput {
  workspaceId: string;
  contactId: string;
  otherId: string;
  now: Date;
  /** Why, kept on the `$merge` event: `{ by: 'api' }` by default. */
  reason?: Record<string, unknown>;
}

/**
 * Makes two contacts one (`POST /api/contacts/:id/merge`): the survivor keeps its identifiers
 * and fills the ones it lacks from the other, gains the other's events, rollups, tags, static
 * segments, score, journey runs, messages and consents (an unsubscribe of either stays);
 * properties are combined with the survivor's values winning. The other contact stays as a
 * pointer (merged_into), so its ids keep working.
 */
export async function mergeContacts(
  sql: Sql,
  input: MergeInput & {
    /**
     * Also write the merge's journey outbox row (its segment changes and the survivor) in its
     * transaction, returned apart from the result, for a caller that clears it once dispatched.
     */
    outbox?: boolean;
  },
): Promise<MergeResult & { outboxIds?: string[] }> {
  if (!UUID.test(input.otherId))
    throw new DataError('invalid_contact', 400, 'Not a contact id', 'otherId');
  if (input.contactId.toLowerCase() === input.otherId.toLowerCase()) {
    throw new DataError('same_contact', 400, 'A contact cannot be merged with itself', 'otherId');
  }
  const { outbox, ...merge } = input;
  return sql.begin(async (tx) => {
    const result = await mergeContactsIn(tx, merge);
    if (!outbox) return result;
    const outboxId = await writeJourneyOutbox(tx, input.workspaceId, {
      changeIds: result.changeIds,
      contactIds: [result.contactId],
    });
    return { ...result, outboxIds: outboxId === null ? [] : [outboxId] };
  });
}

/**
 * `mergeContacts` inside the caller's transaction (ingestion merges the two contacts an
 * identify names). Takes the settle locks of both contacts; callers holding row locks on
 * either should take them first.
 */
export async function mergeContactsIn(tx: TransactionSql, input: MergeInput): Promise<MergeResult> {
  const ids = [input.contactId, input.otherId].map((id) => id.toLowerCase());
  await lockWorkspaceShared(tx, input.workspaceId);
  await lockContacts(tx, ids);
  const rows = await tx<{ id: string; mergedInto: string | null; email: string | null }[]>`
      select id, merged_into, email from contacts
      where workspace_id = ${input.workspaceId} and id = any(${ids}::uuid[])
      order by id for update`;
  const survivor = rows.find((r) => r.id === ids[0]);
  const other = rows.find((r) => r.id === ids[1]);
  if (!UUID.test(input.contactId) || !survivor) throw notFoundError('The contact');
  if (!other)
    throw new DataError(
      'invalid_contact',
      400,
      `No contact has the id ${input.otherId}`,
      'otherId',
    );
  if (survivor.mergedInto) {
    throw new DataError(
      'already_merged',
      409,
      `This contact was merged into ${survivor.mergedInto}: merge into that one`,
    );
  }
  if (other.mergedInto) {
    throw new DataError(
      'already_merged',
      409,
      `That contact was already merged into ${other.mergedInto}`,
      'otherId',
    );
  }
  const [s, o] = [survivor.id, other.id];
  const events = await tx`update events set contact_id = ${s} where contact_id = ${o}`;
  await tx`
      insert into contact_event_rollups as r (workspace_id, contact_id, name, count, first_at, last_at, human_last_at)
      select workspace_id, ${s}, name, count, first_at, last_at, human_last_at
      from contact_event_rollups where contact_id = ${o}
      on conflict (contact_id, name) do update set
        count = r.count + excluded.count,
        first_at = least(r.first_at, excluded.first_at),
        last_at = greatest(r.last_at, excluded.last_at),
        human_last_at = greatest(r.human_last_at, excluded.human_last_at)`;
  await tx`delete from contact_event_rollups where contact_id = ${o}`;
  // Static memberships move to the survivor; every membership of the other ends.
  await tx`
      with moved as (
        insert into segment_members (segment_id, contact_id, workspace_id, entered_at)
        select m.segment_id, ${s}, m.workspace_id, ${input.now} from segment_members m
        join segments g on g.id = m.segment_id and g.kind = 'static'
        where m.contact_id = ${o}
        on conflict do nothing returning segment_id)
      insert into segment_changes (workspace_id, segment_id, contact_id, change, at, cause)
      select ${input.workspaceId}, segment_id, ${s}, 'entered', ${input.now}, 'merge' from moved`;
  const exits = await tx<{ id: string }[]>`
      with gone as (delete from segment_members where contact_id = ${o} returning segment_id)
      insert into segment_changes (workspace_id, segment_id, contact_id, change, at, cause)
      select ${input.workspaceId}, segment_id, ${o}, 'exited', ${input.now}, 'merge' from gone
      returning id::text as id`;
  await tx`delete from segment_queue where contact_id = ${o}`;
  // The other first steps aside (merged_into), so its identifiers can move to the survivor.
  const [before] = await tx<
    { email: string | null; externalId: string | null; anonymousId: string | null }[]
  >`
      update contacts set merged_into = ${s}, updated_at = ${input.now} where id = ${o}
      returning email, external_id, anonymous_id`;
  await tx`update contacts set merged_into = ${s} where merged_into = ${o}`;
  await tx`
      update contacts c set
        email = coalesce(c.email, ${before!.email}),
        external_id = coalesce(c.external_id, ${before!.externalId}),
        anonymous_id = coalesce(c.anonymous_id, ${before!.anonymousId}),
        properties = o.properties || c.properties,
        tags = c.tags || array(select t from unnest(o.tags) t where t <> all(c.tags)),
        score = c.score + o.score,
        score_from_rules = c.score_from_rules + o.score_from_rules,
        timezone = coalesce(c.timezone, o.timezone),
        lifecycle_stage = coalesce(c.lifecycle_stage, o.lifecycle_stage),
        created_at = least(c.created_at, o.created_at),
        updated_at = ${input.now}
      from contacts o where c.id = ${s} and o.id = ${o}`;
  const moved = {
    ...(await moveReferences(tx, s, o)),
    ...(await mergeConsents(tx, input.workspaceId, survivor, other)),
  };
  // Orders placed before the visitor was known (an anonymous checkout) now sit with the emails
  // the survivor opened or clicked: those not attributed yet are attributed (0075).
  await tx`select relance_attribute_contact_conversions(${s}, ${input.workspaceId})`;
  const settled = await settleContactsIn(tx, {
    workspaceId: input.workspaceId,
    contactIds: [s],
    now: input.now,
    cause: 'merge',
  });
  const entries = await tx<{ id: string }[]>`
      select id::text as id from segment_changes
      where contact_id = ${s} and cause = 'merge' and at = ${input.now} order by id`;
  await insertEventRows(
    tx,
    input.workspaceId,
    [
      {
        contactId: s,
        name: MERGE_EVENT,
        properties: { mergedId: o, ...(input.reason ?? { by: 'api' }) },
        occurredAt: input.now,
        messageId: null,
        source: 'merge',
      },
    ],
    input.now,
  );
  return {
    contactId: s,
    mergedId: o,
    movedEvents: events.count,
    moved,
    changeIds: [
      ...new Set([...exits.map((r) => r.id), ...entries.map((r) => r.id), ...settled.changeIds]),
    ],
  };
}
