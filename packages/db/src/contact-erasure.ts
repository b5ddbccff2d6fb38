import { OUT } from '@relance/flow';
import { UUID } from '@relance/segments';
import { DataError, notFoundError } from './data-error';
import { OPEN_RUN_STATUSES } from './journey-runs';
import { lockContacts, lockWorkspaceShared } from './segment-locks';
import type { Sql, TransactionSql } from './sql';

/** A person as erasure sees them: the contact and every duplicate merged into it. */
export interface ErasureTarget {
  /** The contact the id resolves to (a merged duplicate's id resolves to its survivor). */
  contactId: string;
  /** That contact and its merged duplicates, sorted. */
  contactIds: string[];
  /** Workflow ids of the person's journey runs still in progress (active or held). */
  openRunWorkflowIds: string[];
}

/** What `eraseContact` removed. */
export interface ContactErasure extends ErasureTarget {
  events: number;
  journeyRuns: number;
  /** Sent or attempted emails kept for the reports, without contact, address or subject. */
  messagesAnonymised: number;
  /** Whether the address stays on the workspace's suppression list (never emailed again). */
  addressesStillSuppressed: number;
}

const idsOf = (rows: readonly { id: string }[]) => rows.map((r) => r.id).sort();

async function findTarget(
  sql: Sql | TransactionSql,
  workspaceId: string,
  contactId: string,
): Promise<Omit<ErasureTarget, 'openRunWorkflowIds'> | undefined> {
  if (!UUID.test(contactId)) return undefined;
  const rows = await sql<{ id: string; person: string }[]>`
    with person as (
      select coalesce(merged_into, id) as id from contacts
      where id = ${contactId} and workspace_id = ${workspaceId})
    select c.id, p.id as person from person p join contacts c on c.id = p.id or c.merged_into = p.id`;
  if (rows.length === 0) return undefined;
  return { contactId: rows[0]!.person, contactIds: idsOf(rows) };
}

async function openRuns(sql: Sql | TransactionSql, contactIds: readonly string[]) {
  const rows = await sql<{ workflowId: string }[]>`
    select workflow_id from journey_runs
    where contact_id = any(${contactIds as string[]}::uuid[])
      and status = any(${OPEN_RUN_STATUSES as string[]}::text[])
    order by workflow_id`;
  return rows.map((r) => r.workflowId);
}

/**
 * Who `eraseContact` would erase and which of their journey runs are in progress, so the caller
 * can stop those runs first. Undefined when the workspace has no such contact.
 */
export async function findErasureTarget(
  sql: Sql,
  workspaceId: string,
  contactId: string,
): Promise<ErasureTarget | undefined> {
  const target = await findTarget(sql, workspaceId, contactId);
  if (!target) return undefined;
  return { ...target, openRunWorkflowIds: await openRuns(sql, target.contactIds) };
}

/**
 * Deletes a person (`DELETE /api/contacts/:id`, a GDPR erasure): the contact and the duplicates
 * merged into it, with their events, rollups, segment memberships and history, consent, journey
 * runs and their steps, and pending journey deliveries. What their runs counted stays in their
 * journeys' numbers, as anonymous counts (`deleteRunsKeepingCounts`). Emails sent to them stay in
 * the reports, stripped of the contact, the address and the subject; their dev-outbox copies are
 * deleted. An address on the suppression list stays there, so a later import cannot mail someone
 * who had unsubscribed or bounced.
 *
 * Runs in progress should be stopped before (their workflows would otherwise act on a contact
 * that is gone, and fail); the ones that started meanwhile are returned for the caller to stop.
 *
 * Takes the settle locks of the contacts, then their rows, like a merge: a settle or merge of the
 * same person waits, then finds nothing. Ingestion takes neither, and is ordered by the rollups
 * instead: a batch holding a rollup row of this person commits before its rollups are deleted
 * here (and its events are then seen and deleted); a batch arriving later waits for this
 * transaction and fails its contact check, then resolves its identities afresh.
 */
export async function eraseContact(
  sql: Sql,
  input: { workspaceId: string; contactId: string },
): Promise<ContactErasure> {
  return sql.begin(async (tx) => {
    const target = await lockTarget(tx, input.workspaceId, input.contactId);
    const ids = target.contactIds;
    const openRunWorkflowIds = await openRuns(tx, ids);

    const messages = await tx<{ id: string }[]>`
      update email_messages
      set contact_id = null, to_address = null, subject = null, last_error = null, updated_at = now()
      where contact_id = any(${ids}::uuid[])
      returning id::text`;
    if (messages.length > 0) {
      await tx`delete from email_outbox where message_id = any(${messages.map((m) => m.id)}::text[])`;
    }
    // Rollups first: their row locks order this against batches being ingested (see above).
    await tx`delete from contact_event_rollups where contact_id = any(${ids}::uuid[])`;
    const events = await tx`delete from events where contact_id = any(${ids}::uuid[])`;
    const journeyRuns = await deleteRunsKeepingCounts(tx, ids);
    await tx`
      delete from journey_dispatch_pending
      where workspace_id = ${input.workspaceId}
        and workflow_id like any(${ids.flatMap((id) => [`run:%:${id}`, `run:%:${id}:%`])}::text[])`;
    await tx`delete from segment_queue where contact_id = any(${ids}::uuid[])`;
    const [suppressed] = await tx<{ count: number }[]>`
      select count(distinct s.email)::int as count from email_suppressions s
      join contacts c on relance_email_unicode(c.email) = s.email
        and c.workspace_id = s.workspace_id
      where c.id = any(${ids}::uuid[])`;
    // Memberships and segment history go with the contacts (their delete trigger), consent and
    // dates by their keys.
    await tx`delete from contacts where id = any(${ids}::uuid[])`;
    return {
      ...target,
      openRunWorkflowIds,
      events: events.count,
      journeyRuns,
      messagesAnonymised: messages.length,
      addressesStillSuppressed: suppressed!.count,
    };
  });
}

/**
 * Deletes the runs of `contactIds` and their steps, adding what the deleted rows counted to their
 * journeys' erased counts (migration 0084), so a journey's live numbers keep the person's
 * entries without anything that names them. A run still going ends now (`cancelled`) and a step
 * still open is left now (completed), as when a journey is stopped. Returns how many runs went.
 *
 * The runs are locked first: a step their workflows write meanwhile (an activity still going
 * when its run was stopped) waits for this transaction, then finds its run gone, so every step
 * deleted is one counted. The contacts' locks keep new runs out. Counts are written in key
 * order, so erasures of contacts in the same journeys queue rather than deadlock.
 */
async function deleteRunsKeepingCounts(
  tx: TransactionSql,
  contactIds: readonly string[],
): Promise<number> {
  const locked = await tx<{ id: string }[]>`
    select id from journey_runs where contact_id = any(${contactIds as string[]}::uuid[])
    order by id for update`;
  if (locked.length === 0) return 0;
  const runIds = locked.map((r) => r.id);
  // The ways out too (migration 0098), counted as the live view counts the stored steps' ports:
  // left other than failed, through a port other than the single way out.
  await tx`
    with gone as (
      delete from run_steps where run_id = any(${runIds}::uuid[])
      returning journey_id, node_id, outcome, left_at, port),
    steps as (
      insert into journey_erased_steps as e (journey_id, node_id, entered, completed, failed)
      select journey_id, node_id, count(*)::int,
        (count(*) filter (where outcome <> 'failed'))::int,
        (count(*) filter (where outcome = 'failed'))::int
      from gone group by journey_id, node_id order by journey_id, node_id
      on conflict (journey_id, node_id) do update set
        entered = e.entered + excluded.entered,
        completed = e.completed + excluded.completed,
        failed = e.failed + excluded.failed)
    insert into journey_erased_ports as e (journey_id, node_id, port, completed)
    select journey_id, node_id, port, count(*)::int from gone
    where port is not null and port <> ${OUT} and left_at is not null and outcome <> 'failed'
    group by journey_id, node_id, port order by journey_id, node_id, port
    on conflict (journey_id, node_id, port) do update set completed = e.completed + excluded.completed`;
  const [runs] = await tx<{ count: number }[]>`
    with gone as (
      delete from journey_runs where id = any(${runIds}::uuid[])
      returning journey_id,
        case when status = any(${OPEN_RUN_STATUSES as string[]}::text[]) then 'cancelled'
          else status end as status),
    kept as (
      insert into journey_erased_runs as e (journey_id, status, runs)
      select journey_id, status, count(*)::int from gone
      group by journey_id, status order by journey_id, status
      on conflict (journey_id, status) do update set runs = e.runs + excluded.runs)
    select count(*)::int as count from gone`;
  return runs!.count;
}

/** Locks the person's contacts (settle locks in id order, then rows); their set may not change. */
async function lockTarget(
  tx: TransactionSql,
  workspaceId: string,
  contactId: string,
): Promise<Omit<ErasureTarget, 'openRunWorkflowIds'>> {
  await lockWorkspaceShared(tx, workspaceId);
  for (let attempt = 1; attempt <= 3; attempt++) {
    const found = await findTarget(tx, workspaceId, contactId);
    if (!found) throw notFoundError('The contact');
    await lockContacts(tx, found.contactIds);
    // Merges take the same locks, so under them the set holds still; a merge that committed
    // between the lookup and the locks shows as a different set: look again.
    const held = await findTarget(tx, workspaceId, contactId);
    if (held?.contactId === found.contactId && held.contactIds.join() === found.contactIds.join()) {
      await tx`select 1 from contacts where id = any(${found.contactIds}::uuid[]) order by id for update`;
      return found;
    }
  }
  throw new DataError(
    'contact_changing',
    409,
    'This contact is being merged right now; try deleting it again in a moment',
  );
}
