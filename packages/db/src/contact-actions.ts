import { BUILTIN_FIELDS } from '@relance/flow';
import { survivingContactId, survivingContactIds } from './contact-lookup';
import { DataError } from './data-error';
import { normaliseEmail } from './ingest-identity';
import { writeJourneyOutbox } from './journey-dispatch-outbox';
import { settleContactsIn } from './segment-engine';
import { lockContacts, lockWorkspaceShared } from './segment-locks';
import type { Sql, TransactionSql } from './sql';
import { isKnownTimeZone } from './time-zones';

// Contact changes made by flow actions and the API. Each locks the contact, changes it,
// re-evaluates its segments in the same transaction and returns what changed plus the segment
// change ids, so the caller can dispatch contactsChanged and segmentsChanged after the commit.

interface ActionInput {
  workspaceId: string;
  contactId: string;
  /** Why, for the segment change log: `flow:{runId}`, `api`, … */
  cause: string;
  now: Date;
  /**
   * Also write the change's journey outbox row (the contact and its segment changes) in its
   * transaction, for a caller that clears it once dispatched (dispatchFromOutbox).
   */
  outbox?: boolean | undefined;
}

export interface ActionResult {
  /** The contact changed (a merged contact's id resolves to its survivor). */
  contactId: string;
  changeIds: string[];
  /** With `outbox`: the journey outbox row written when something changed. */
  outboxIds: string[];
}

async function locked<T>(
  sql: Sql,
  input: ActionInput,
  change: (tx: TransactionSql, contactId: string) => Promise<T & { changed: boolean }>,
): Promise<T & ActionResult> {
  const result = await sql.begin(async (tx) => {
    const contactId = await survivingContactId(tx, input.workspaceId, input.contactId);
    await tx`select 1 from contacts where id = ${contactId} for update`;
    const result = await change(tx, contactId);
    const settled = result.changed
      ? await settleContactsIn(tx, { ...input, contactIds: [contactId] })
      : { changeIds: [] };
    const outboxId =
      input.outbox && result.changed
        ? await writeJourneyOutbox(tx, input.workspaceId, {
            changeIds: settled.changeIds,
            contactIds: [contactId],
          })
        : null;
    return {
      ...result,
      contactId,
      changeIds: settled.changeIds,
      outboxIds: outboxId === null ? [] : [outboxId],
    };
  });
  return result as T & ActionResult;
}

const cleanTags = (tags: readonly string[]) => [
  ...new Set(tags.map((t) => t.trim()).filter(Boolean)),
];

/** Adds tags; `added` lists the ones the contact did not have. */
export async function addTags(
  sql: Sql,
  input: ActionInput & { tags: readonly string[] },
): Promise<ActionResult & { added: string[]; tags: string[] }> {
  return locked(sql, input, async (tx, id) => {
    const [before] = await tx<{ tags: string[] }[]>`select tags from contacts where id = ${id}`;
    const added = cleanTags(input.tags).filter((t) => !before!.tags.includes(t));
    const tags = [...before!.tags, ...added];
    if (added.length > 0)
      await tx`update contacts set tags = ${tags}, updated_at = ${input.now} where id = ${id}`;
    return { added, tags, changed: added.length > 0 };
  });
}

/** Removes tags; `removed` lists the ones the contact had. */
export async function removeTags(
  sql: Sql,
  input: ActionInput & { tags: readonly string[] },
): Promise<ActionResult & { removed: string[]; tags: string[] }> {
  return locked(sql, input, async (tx, id) => {
    const [before] = await tx<{ tags: string[] }[]>`select tags from contacts where id = ${id}`;
    const drop = cleanTags(input.tags);
    const removed = before!.tags.filter((t) => drop.includes(t));
    const tags = before!.tags.filter((t) => !drop.includes(t));
    if (removed.length > 0)
      await tx`update contacts set tags = ${tags}, updated_at = ${input.now} where id = ${id}`;
    return { removed, tags, changed: removed.length > 0 };
  });
}

/**
 * Adds and removes tags on many contacts in one transaction (the contact list's bulk action),
 * then re-evaluates the segments of those that changed. A tag both added and removed is a
 * caller's mistake: the API refuses it. Merged contacts count as their survivor; ids the
 * workspace does not know are reported, not an error.
 */
export async function changeTagsOfMany(
  sql: Sql,
  input: {
    workspaceId: string;
    contactIds: readonly string[];
    add: readonly string[];
    remove: readonly string[];
    cause: string;
    now: Date;
    /** Also write the changes' journey outbox row in the transaction (see ActionInput). */
    outbox?: boolean | undefined;
  },
): Promise<{
  changed: number;
  changeIds: string[];
  changedContactIds: string[];
  unknownContactIds: string[];
  outboxIds: string[];
}> {
  const add = cleanTags(input.add);
  const remove = cleanTags(input.remove);
  return sql.begin(async (tx) => {
    const { contactIds, unknownContactIds } = await survivingContactIds(
      tx,
      input.workspaceId,
      input.contactIds,
    );
    // The settle's locks, in its order, before the rows: a settle of one of these contacts
    // (which rewrites its score) waits for this one rather than deadlocking with it.
    await lockWorkspaceShared(tx, input.workspaceId);
    await lockContacts(tx, contactIds);
    const rows = await tx<{ id: string }[]>`
      with next as (
        select c.id, c.tags as before,
          array(select x from unnest(c.tags) with ordinality o(x, i)
                where x <> all(${remove}::text[]) order by i)
          || array(select x from unnest(${add}::text[]) with ordinality o(x, i)
                where x <> all(c.tags) order by i) as after
        from unnest(${contactIds}::uuid[]) u(id)
        cross join lateral (select * from contacts k where k.id = u.id limit 1) c
      )
      update contacts c set tags = n.after, updated_at = ${input.now}
      from next n where c.id = n.id and n.after <> n.before
      returning c.id::text as id`;
    const changed = rows.map((r) => r.id).sort();
    const settled = await settleContactsIn(tx, {
      workspaceId: input.workspaceId,
      contactIds: changed,
      now: input.now,
      cause: input.cause,
    });
    const changedContactIds = [...new Set([...changed, ...settled.changedContactIds])];
    const outboxId = input.outbox
      ? await writeJourneyOutbox(tx, input.workspaceId, {
          changeIds: settled.changeIds,
          contactIds: changedContactIds,
        })
      : null;
    return {
      changed: changed.length,
      changeIds: settled.changeIds,
      changedContactIds,
      unknownContactIds,
      outboxIds: outboxId === null ? [] : [outboxId],
    };
  });
}

/** Adds `delta` points to the score (kept when scoring rules are re-applied). */
export async function changeScore(
  sql: Sql,
  input: ActionInput & { delta: number },
): Promise<ActionResult & { previous: number; score: number }> {
  if (!Number.isSafeInteger(input.delta)) {
    throw new DataError('invalid_score', 400, 'Score changes are whole numbers', 'delta');
  }
  return locked(sql, input, async (tx, id) => {
    const [row] = await tx<{ previous: number; score: number }[]>`
      update contacts set score = score + ${input.delta}, updated_at = ${input.now}
      where id = ${id} returning score - ${input.delta} as previous, score`;
    return { ...row!, changed: input.delta !== 0 };
  });
}

const SETTABLE = ['$email', '$timezone', '$lifecycle_stage'] as const;

/** The field of a contact edit a refusal names, by default: `email`, … or `properties.plan`. */
const FIELD_OF_BUILTIN = new Map<string, string>([
  ['$email', 'email'],
  ['$timezone', 'timezone'],
  ['$lifecycle_stage', 'lifecycleStage'],
]);
const fieldOf = (property: string) => FIELD_OF_BUILTIN.get(property) ?? `properties.${property}`;

function equalJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Sets one property (`plan`, nested `address.city`; null removes it) or a settable built-in
 * field (`$email`, `$timezone`, `$lifecycle_stage`). Returns the previous and new value.
 */
export async function setProperty(
  sql: Sql,
  input: ActionInput & {
    property: string;
    value: string | number | boolean | null | unknown[] | Record<string, unknown>;
    /** The input field a refusal names, when it is not the property's own (`properties.$email`). */
    field?: string;
  },
): Promise<ActionResult & { previous: unknown; value: unknown; changed: boolean }> {
  const { property } = input;
  const field = input.field ?? fieldOf(property);
  if (property.startsWith('$')) {
    if (!(SETTABLE as readonly string[]).includes(property)) {
      throw new DataError(
        'not_settable',
        400,
        (BUILTIN_FIELDS as readonly string[]).includes(property)
          ? `${property} cannot be set; settable fields are ${SETTABLE.join(', ')}`
          : `Unknown field ${property}`,
        field,
      );
    }
    if (input.value !== null && typeof input.value !== 'string') {
      throw new DataError('invalid_value', 400, `${property} takes text or null`, field);
    }
  }
  return locked(sql, input, async (tx, id) => {
    const [row] = await tx<
      {
        properties: Record<string, unknown>;
        email: string | null;
        timezone: string | null;
        lifecycleStage: string | null;
      }[]
    >`
      select properties, email, timezone, lifecycle_stage from contacts where id = ${id}`;
    const contact = row!;
    switch (property) {
      case '$email': {
        const email = input.value === null ? null : normaliseEmail(input.value as string);
        if (email === contact.email)
          return { previous: contact.email, value: email, changed: false };
        if (email === null && contact.email !== null) {
          const [other] = await tx<
            { externalId: string | null }[]
          >`select external_id from contacts where id = ${id}`;
          if (other!.externalId === null) {
            throw new DataError(
              'invalid_value',
              400,
              'A contact needs an email or an external id',
              field,
            );
          }
        }
        if (email !== null) {
          const [holder] = await tx`
            select 1 from contacts where workspace_id = ${input.workspaceId} and email = ${email}
              and merged_into is null and id <> ${id}`;
          if (holder)
            throw new DataError('email_taken', 409, `${email} belongs to another contact`, field);
        }
        await tx`update contacts set email = ${email}, updated_at = ${input.now} where id = ${id}`;
        return { previous: contact.email, value: email, changed: true };
      }
      case '$timezone': {
        const zone = input.value as string | null;
        if (zone !== null && !(await isKnownTimeZone(tx, sql, zone))) {
          throw new DataError(
            'invalid_value',
            400,
            `Unknown time zone ${zone}; use an IANA name such as Europe/Paris`,
            field,
          );
        }
        if (zone === contact.timezone) return { previous: zone, value: zone, changed: false };
        await tx`update contacts set timezone = ${zone}, updated_at = ${input.now} where id = ${id}`;
        return { previous: contact.timezone, value: zone, changed: true };
      }
      case '$lifecycle_stage': {
        const stage = input.value as string | null;
        if (stage === contact.lifecycleStage)
          return { previous: stage, value: stage, changed: false };
        await tx`update contacts set lifecycle_stage = ${stage}, updated_at = ${input.now} where id = ${id}`;
        return { previous: contact.lifecycleStage, value: stage, changed: true };
      }
      default: {
        const keys = property.split('.');
        const properties = structuredClone(contact.properties);
        let parent: Record<string, unknown> = properties;
        for (const key of keys.slice(0, -1)) {
          const next = parent[key];
          if (typeof next !== 'object' || next === null || Array.isArray(next)) parent[key] = {};
          parent = parent[key] as Record<string, unknown>;
        }
        const last = keys.at(-1)!;
        const previous = parent[last] ?? null;
        if (equalJson(previous, input.value))
          return { previous, value: input.value, changed: false };
        if (input.value === null) delete parent[last];
        else parent[last] = input.value;
        await tx`update contacts set properties = ${tx.json(properties as never)}, updated_at = ${input.now} where id = ${id}`;
        return { previous, value: input.value, changed: true };
      }
    }
  });
}
