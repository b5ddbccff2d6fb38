import type { Condition } from '@relance/flow';
import { compilePredicate, SegmentRuleError, shifter, SqlParams, UUID } from '@relance/segments';
import { DataError, notFoundError } from './data-error';
import { cancellable, type Sql, type TransactionSql } from './sql';

export interface Contact {
  id: string;
  externalId: string | null;
  email: string | null;
  anonymousId: string | null;
  properties: Record<string, unknown>;
  tags: string[];
  score: number;
  timezone: string | null;
  lifecycleStage: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ContactProfile extends Contact {
  /** Contacts merged into this one (their runs and messages are shown here too). */
  mergedFrom: string[];
  segments: { id: string; name: string; kind: 'static' | 'dynamic'; enteredAt: Date }[];
  /** Email topic consents (subscribed / unsubscribed / pending) per topic. */
  consents: { topic: string; status: string; updatedAt: Date }[];
  /** The zone rules use for this contact: its own, else the workspace's. */
  effectiveTimezone: string;
}

const COLUMNS =
  'c.id, c.external_id, c.email, c.anonymous_id, c.properties, c.tags, c.score, c.timezone, c.lifecycle_stage, c.created_at, c.updated_at';

/** A contact's profile; a merged contact's id shows the contact it was merged into. */
export async function getContactProfile(
  sql: Sql | TransactionSql,
  workspaceId: string,
  contactId: string,
): Promise<ContactProfile | undefined> {
  if (!UUID.test(contactId)) return undefined;
  const [contact] = await sql<(Contact & { effectiveTimezone: string })[]>`
    select c.id, c.external_id, c.email, c.anonymous_id, c.properties, c.tags, c.score, c.timezone,
      c.lifecycle_stage, c.created_at, c.updated_at, coalesce(c.timezone, w.timezone) as effective_timezone
    from contacts c join workspaces w on w.id = c.workspace_id
    where c.workspace_id = ${workspaceId}
      and c.id = (select coalesce(x.merged_into, x.id) from contacts x where x.id = ${contactId})`;
  if (!contact) return undefined;
  const [merged, segments, consents] = await Promise.all([
    sql<{ id: string }[]>`select id from contacts where merged_into = ${contact.id} order by id`,
    sql<ContactProfile['segments']>`
      select s.id, s.name, s.kind, m.entered_at from segment_members m join segments s on s.id = m.segment_id
      where m.contact_id = ${contact.id} order by s.name`,
    sql<ContactProfile['consents']>`
      select topic, status, updated_at from contact_topic_consents
      where contact_id = ${contact.id} order by topic`,
  ]);
  return {
    ...contact,
    mergedFrom: merged.map((m) => m.id),
    segments: [...segments],
    consents: [...consents],
  };
}

export interface ContactSearch {
  /** Email prefix, exact external id, or part of a name (not when it holds an @). */
  q?: string | undefined;
  segmentId?: string | undefined;
  /** Any condition of the rule language, e.g. `{ kind: 'property', property: 'plan', op: 'eq', value: 'pro' }`. */
  filter?: Condition | undefined;
  /** `newest` (the default): by when they were added; `score`: highest score first. */
  sort?: ContactSort | undefined;
  cursor?: string | undefined;
  limit: number;
  now: Date;
  /** Cancels the search's statement when it aborts (the page asked for another meanwhile). */
  signal?: AbortSignal | undefined;
}

export type ContactSort = 'newest' | 'score';

/** Where the previous page stopped: its last contact's creation time, or its score. */
type Cursor = { at: string; id: string } | { score: number; id: string };

function decodeCursor(cursor: string, sort: ContactSort): Cursor {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    const id = typeof value.id === 'string' && UUID.test(value.id) ? value.id : null;
    if (
      id &&
      sort === 'newest' &&
      typeof value.at === 'string' &&
      !Number.isNaN(Date.parse(value.at))
    )
      return { at: value.at, id };
    if (
      id &&
      sort === 'score' &&
      Number.isSafeInteger(value.score) &&
      Math.abs(value.score as number) <= 2_147_483_647
    )
      return { score: value.score as number, id };
  } catch {
    // fall through to the error below
  }
  throw new DataError('invalid_cursor', 400, 'The cursor is not one this API returned', 'cursor');
}

// Microseconds: a JavaScript Date would round them away and skip rows that share a millisecond.
const CURSOR_AT = `to_char(c.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at`;
const encodeCursor = (c: { cursorAt: string; id: string; score: number }, sort: ContactSort) =>
  Buffer.from(
    JSON.stringify(sort === 'score' ? { score: c.score, id: c.id } : { at: c.cursorAt, id: c.id }),
  ).toString('base64url');

const likePattern = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/** The conditions a search puts on `c` (a contact, `w` its workspace), the cursor's aside. */
function searchConditions(
  params: SqlParams,
  workspaceId: string,
  search: Omit<ContactSearch, 'sort' | 'cursor' | 'limit'>,
): string[] {
  const workspace = params.uuid(workspaceId);
  const where = [`c.workspace_id = ${workspace}`, 'c.merged_into is null'];
  const q = search.q?.trim();
  if (q) {
    const prefix = params.text(`${likePattern(q.toLowerCase())}%`);
    const matches = [
      `c.email like ${prefix} escape '\\'`,
      `c.external_id = ${params.text(q)}`,
      // A duplicate merged into a contact is found by its whole email or id, as identify finds
      // it: through the merged contacts' own indexes, once, not per row.
      `c.id = any(array(select d.merged_into from contacts d where d.workspace_id = ${workspace} and d.merged_into is not null and (d.email = ${params.text(q.toLowerCase())} or d.external_id = ${params.text(q)})))`,
    ];
    // A query with an @ is an email or an id. Otherwise the names are searched too, through
    // their trigram index (migrations 0097, 0099), which needs three letters or digits to
    // narrow anything (under the C locale of the embedded database, three of A-Z and 0-9).
    // Names and search are folded alike by the same function, accents and case away in every
    // alphabet ("lefevre" finds Lefèvre, "дмитрий" Дмитрий), by Postgres: its unaccent rules and
    // case mapping, not JavaScript's, made the index.
    // The folding comes before the escaping: it turns a few characters (％, ＿, ＼) into % _ \.
    if (!q.includes('@')) {
      const folded = `relance_fold(${params.text(q)})`;
      const escaped = `replace(replace(replace(${folded}, '\\', '\\\\'), '%', '\\%'), '_', '\\_')`;
      matches.push(
        `relance_contact_folded_names(c.properties) like '%' || ${escaped} || '%' escape '\\'`,
      );
    }
    where.push(`(${matches.join(' or ')})`);
  }
  if (search.segmentId) {
    if (!UUID.test(search.segmentId))
      throw new DataError('invalid_segment', 400, 'Not a segment id', 'segmentId');
    where.push(
      `exists (select 1 from segment_members m where m.segment_id = ${params.uuid(search.segmentId)} and m.contact_id = c.id)`,
    );
  }
  if (search.filter) {
    try {
      where.push(
        compilePredicate(search.filter, {
          params,
          contact: 'c',
          workspace,
          timezone: 'coalesce(c.timezone, w.timezone)',
          now: params.timestamp(search.now),
          shift: shifter(params, search.now),
        }),
      );
    } catch (error) {
      if (error instanceof SegmentRuleError) {
        throw new DataError(
          'invalid_filter',
          400,
          error.message,
          ['query.filter', error.field].filter(Boolean).join('.'),
        );
      }
      throw error;
    }
  }
  return where;
}

/**
 * Contacts newest first (or highest score first), searched and filtered, a page at a time. The
 * score order has no index of its own (one would cost the settle's score rewrites their HOT
 * updates): each page is a top-N over the matching contacts.
 */
export async function listContacts(
  sql: Sql,
  workspaceId: string,
  search: ContactSearch,
): Promise<{ contacts: Contact[]; nextCursor: string | null }> {
  const params = new SqlParams();
  const where = searchConditions(params, workspaceId, search);
  const sort = search.sort ?? 'newest';
  if (search.cursor) {
    const cursor = decodeCursor(search.cursor, sort);
    where.push(
      'score' in cursor
        ? `(c.score, c.id) < (${params.integer(cursor.score)}, ${params.uuid(cursor.id)})`
        : `(c.created_at, c.id) < (${params.text(cursor.at)}::timestamptz, ${params.uuid(cursor.id)})`,
    );
  }
  const order = sort === 'score' ? 'c.score desc, c.id desc' : 'c.created_at desc, c.id desc';
  const limit = params.integer(search.limit + 1);
  const text =
    sort === 'score'
      ? // Every matching contact goes through the sort: only its key, not the whole row and its
        // cursor text, which the page's few rows are then read for.
        `select ${COLUMNS}, ${CURSOR_AT}
from (select c.id from contacts c join workspaces w on w.id = c.workspace_id
  where ${where.join('\n  and ')}
  order by ${order} limit ${limit}) top
join contacts c on c.id = top.id
order by ${order}`
      : `select ${COLUMNS}, ${CURSOR_AT} from contacts c join workspaces w on w.id = c.workspace_id
where ${where.join('\n  and ')}
order by ${order} limit ${limit}`;
  const rows = await cancellable(
    sql.unsafe<(Contact & { cursorAt: string })[]>(text, params.values),
    search.signal,
  );
  const page = rows.slice(0, search.limit);
  return {
    contacts: page.map(({ cursorAt: _, ...contact }) => contact),
    nextCursor: rows.length > search.limit ? encodeCursor(page.at(-1)!, sort) : null,
  };
}

/** How many contacts a search counts exactly; beyond, it says "more than" this many. */
export const CONTACT_COUNT_CAP = 10_000;

/** How many contacts a search finds: exact up to `cap`, else `{ count: cap, more: true }`. */
export interface ContactCount {
  count: number;
  /** More contacts than `count` match: the count stopped there. */
  more: boolean;
}

/**
 * Counts the contacts a search finds, reading at most `cap` + 1 of them, so that the count costs
 * about what a page of the list does whatever the size of the base: a whole workspace or a
 * common name part stops at the cap, and a rare match reads what its page reads.
 */
export async function countContactsFound(
  sql: Sql,
  workspaceId: string,
  search: Omit<ContactSearch, 'sort' | 'cursor' | 'limit'>,
  cap = CONTACT_COUNT_CAP,
): Promise<ContactCount> {
  const params = new SqlParams();
  const where = searchConditions(params, workspaceId, search);
  const text = `select count(*)::int as n from (
  select 1 from contacts c join workspaces w on w.id = c.workspace_id
  where ${where.join('\n    and ')}
  limit ${params.integer(cap + 1)}) found`;
  const [row] = await cancellable(sql.unsafe<{ n: number }[]>(text, params.values), search.signal);
  const n = row!.n;
  return n > cap ? { count: cap, more: true } : { count: n, more: false };
}

/** A contact by id, or a 404 DataError. */
export async function requireContact(sql: Sql | TransactionSql, workspaceId: string, id: string) {
  const profile = await getContactProfile(sql, workspaceId, id);
  if (!profile) throw notFoundError('The contact');
  return profile;
}
