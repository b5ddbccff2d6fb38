import { UUID } from '@relance/segments';
import { notFoundError } from './data-error';
import type { Sql, TransactionSql } from './sql';

/**
 * The id a contact is known by now: itself, or the contact it was merged into. Throws a 404
 * DataError when the workspace has no such contact.
 */
export async function survivingContactId(
  sql: Sql | TransactionSql,
  workspaceId: string,
  contactId: string,
): Promise<string> {
  if (!UUID.test(contactId)) throw notFoundError('The contact');
  const [row] = await sql<{ id: string }[]>`
    select coalesce(merged_into, id) as id from contacts
    where workspace_id = ${workspaceId} and id = ${contactId}`;
  if (!row) throw notFoundError('The contact');
  return row.id;
}

/** A contact's id and the ids of every contact merged into it (runs, messages, steps keep old ids). */
export async function contactIdsOf(
  sql: Sql | TransactionSql,
  contactId: string,
): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    select id from contacts where id = ${contactId} or merged_into = ${contactId}
    order by id = ${contactId} desc, id`;
  return rows.map((r) => r.id);
}

/**
 * Many contacts as they are known now (a merged contact counts as its survivor), sorted and
 * without repeats, and the ids the workspace does not know, in the order given.
 */
export async function survivingContactIds(
  sql: Sql | TransactionSql,
  workspaceId: string,
  contactIds: readonly string[],
): Promise<{ contactIds: string[]; unknownContactIds: string[] }> {
  const found = await sql<{ id: string; survivor: string }[]>`
    select id::text as id, coalesce(merged_into, id)::text as survivor from contacts
    where workspace_id = ${workspaceId}
      and id::text = any(${contactIds.map((id) => id.toLowerCase())}::text[])`;
  const survivors = new Map(found.map((r) => [r.id, r.survivor]));
  return {
    contactIds: [...new Set(survivors.values())].sort(),
    unknownContactIds: contactIds.filter((id) => !survivors.has(id.toLowerCase())),
  };
}
