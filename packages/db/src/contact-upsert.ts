import {
  IdentityIndex,
  IdentityRaceError,
  keptEmailReason,
  saveIdentities,
  type ContactRef,
  type IdentityMatch,
  type NewContactFields,
} from './ingest-identity';
import { newSeenFacts, noteProperties, registerSeenFacts } from './known-properties';
import { applyStatic } from './segment-members';
import type { Sql, TransactionSql } from './sql';
import { isKnownTimeZone } from './time-zones';

/** A contact to create or update, matched by external id, then email. */
export interface ContactUpsert {
  externalId?: string | undefined;
  /** Normalised by the caller (trimmed, lower-cased). */
  email?: string | undefined;
  /** Merged into the contact's properties; null removes one. */
  properties?: Record<string, unknown> | undefined;
  /** Added to the contact's tags. */
  tags?: string[] | undefined;
  timezone?: string | undefined;
  lifecycleStage?: string | undefined;
}

export type UpsertOutcome =
  | {
      status: 'created' | 'updated';
      contactId: string;
      warning?: { field: string; reason: string };
    }
  | { status: 'rejected'; field: string; reason: string };

interface Patch {
  set: Record<string, unknown>;
  unset: string[];
  tags: string[];
  email: string | null;
  timezone: string | null;
  lifecycleStage: string | null;
}

/**
 * Creates or updates a batch of contacts (CSV import, POST /api/contacts) in the caller's
 * transaction: deduplicated by external id and email (within the batch too), properties
 * merged, tags added, optionally added to a static segment, and queued for segment
 * re-evaluation. A row that cannot be applied is rejected with the field and the reason; the
 * others go through.
 */
export async function upsertContacts(
  tx: TransactionSql,
  pool: Sql,
  workspaceId: string,
  rows: readonly ContactUpsert[],
  options: { now: Date; staticSegmentId?: string | undefined; cause: string },
): Promise<{ outcomes: UpsertOutcome[]; changeIds: string[]; afterCommit: () => void }> {
  const outcomes: (UpsertOutcome | null)[] = rows.map((row) =>
    row.externalId || row.email
      ? null
      : {
          status: 'rejected',
          field: 'email',
          reason: 'A contact needs an email or an external id',
        },
  );
  for (const [i, row] of rows.entries()) {
    if (
      outcomes[i] === null &&
      row.timezone !== undefined &&
      !(await isKnownTimeZone(tx, pool, row.timezone))
    ) {
      outcomes[i] = {
        status: 'rejected',
        field: 'timezone',
        reason: `Unknown time zone ${row.timezone}`,
      };
    }
  }
  const index = new IdentityIndex();
  const live = rows.flatMap((row, i) => (outcomes[i] === null ? [{ row, i }] : []));
  await index.load(
    tx,
    workspaceId,
    live.map(({ row }) => ({ userId: row.externalId, email: row.email })),
  );
  const matches = new Map<number, IdentityMatch>();
  for (const { row, i } of live)
    matches.set(i, index.match({ userId: row.externalId, email: row.email }));
  const refs = new Map([...matches].map(([i, m]) => [i, m.ref]));
  const fresh = new Set(index.created);

  const seen = newSeenFacts();
  const patches = new Map<ContactRef, Patch>();
  const claimed = new Set<ContactRef>();
  const created = new Map<number, boolean>();
  const warnings = new Map<number, { field: string; reason: string }>();
  for (const { row, i } of live) {
    const ref = refs.get(i)!;
    let email = row.email;
    const kept = email ? keptEmailReason(matches.get(i)!, email) : null;
    if (kept) {
      warnings.set(i, { field: 'email', reason: kept });
      email = undefined;
    } else if (email && ref.email !== email) {
      const holder = index.holderOfEmail(email);
      if (holder && holder !== ref) {
        warnings.set(i, {
          field: 'email',
          reason: `${email} belongs to another contact; the email was not changed`,
        });
        email = undefined;
      } else index.changeEmail(ref, email);
    }
    const patch = patches.get(ref) ?? {
      set: {},
      unset: [],
      tags: [],
      email: null,
      timezone: null,
      lifecycleStage: null,
    };
    for (const [key, value] of Object.entries(row.properties ?? {})) {
      if (value === null) patch.unset.push(key);
      else patch.set[key] = value;
    }
    noteProperties(seen, 'contact', '', row.properties ?? {});
    for (const tag of row.tags ?? []) if (!patch.tags.includes(tag)) patch.tags.push(tag);
    if (email) patch.email = email;
    if (row.timezone) patch.timezone = row.timezone;
    if (row.lifecycleStage) patch.lifecycleStage = row.lifecycleStage;
    patches.set(ref, patch);
    // The first row that brought a new contact created it; later rows of the batch update it.
    created.set(i, fresh.has(ref) && !claimed.has(ref));
    claimed.add(ref);
  }
  // New contacts are inserted with their fields (their email is the ref's, changes included).
  const initial = new Map<ContactRef, NewContactFields>();
  for (const ref of fresh) {
    const patch = patches.get(ref);
    if (!patch) continue;
    const properties = { ...patch.set };
    for (const key of patch.unset) delete properties[key];
    initial.set(ref, {
      properties,
      tags: patch.tags,
      timezone: patch.timezone,
      lifecycleStage: patch.lifecycleStage,
    });
  }
  await saveIdentities(tx, workspaceId, index, options.now, initial);
  for (const { i } of live) {
    const warning = warnings.get(i);
    outcomes[i] = {
      status: created.get(i) ? 'created' : 'updated',
      contactId: refs.get(i)!.id!,
      ...(warning ? { warning } : {}),
    };
  }

  const existing = [...patches].filter(([ref]) => !fresh.has(ref));
  if (existing.length > 0) {
    const json = existing
      .map(([ref, p]) => ({
        id: ref.id!,
        set: p.set,
        unset: p.unset,
        tags: p.tags,
        email: p.email,
        timezone: p.timezone,
        lifecycle_stage: p.lifecycleStage,
      }))
      .sort((a, b) => a.id.localeCompare(b.id));
    await tx`
      update contacts c set
        properties = (c.properties || x.set) - x.unset,
        tags = c.tags || array(select t from unnest(x.tags) t where t <> all(c.tags)),
        email = coalesce(x.email, c.email),
        timezone = coalesce(x.timezone, c.timezone),
        lifecycle_stage = coalesce(x.lifecycle_stage, c.lifecycle_stage),
        updated_at = ${options.now}
      from jsonb_to_recordset(${tx.json(json as never)}::jsonb)
        as x(id uuid, set jsonb, unset text[], tags text[], email text, timezone text, lifecycle_stage text)
      where c.id = x.id`;
  }
  const ids = [...patches.keys()].map((ref) => ref.id!);
  if (ids.length > 0) {
    await tx`
      insert into segment_queue (workspace_id, contact_id, queued_at)
      select ${workspaceId}, id, ${options.now} from unnest(${ids}::uuid[]) id`;
  }
  const changeIds = options.staticSegmentId
    ? await applyStatic(tx, {
        workspaceId,
        segmentIds: [options.staticSegmentId],
        contactIds: [...ids].sort(),
        change: 'entered',
        cause: options.cause,
        now: options.now,
      })
    : [];
  const afterCommit = await registerSeenFacts(tx, pool, workspaceId, seen);
  return { outcomes: outcomes.map((o) => o!), changeIds, afterCommit };
}

export { IdentityRaceError };
