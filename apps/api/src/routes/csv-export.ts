import type { Context } from 'hono';
import {
  getSegmentWithStats,
  listContacts,
  listKnownProperties,
  listSegmentMembers,
  type ContactSearch,
} from '@relance/db';
import type { AppDeps, AppEnv } from '../env';
import { notFound } from '../errors';

const PAGE = 1_000;

/**
 * One CSV cell. Quoted when it holds a comma, a quote or a line break. A cell starting with
 * `=`, `+`, `-`, `@`, a tab or a carriage return is what spreadsheets run as a formula: it gets a
 * leading apostrophe, so that a property a contact typed into a form cannot run in the marketer's
 * spreadsheet (numbers and dates Relance writes itself are left as they are).
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text =
    typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : value instanceof Date
          ? value.toISOString()
          : JSON.stringify(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const csvRow = (cells: readonly unknown[]) => `${cells.map(csvCell).join(',')}\r\n`;

function valueAt(properties: Record<string, unknown>, path: string): unknown {
  let value: unknown = properties;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * A CSV download: a byte-order mark (so that spreadsheets read accents as UTF-8), the header, then
 * the rows `next` hands over page by page until it answers `done`; nothing is held beyond a page.
 * The first page is read before answering, so a query the database refuses is still a 4xx.
 */
export async function csvDownload(
  c: Context<AppEnv>,
  input: {
    filename: string;
    header: readonly string[];
    next: () => Promise<{ rows: unknown[][]; done: boolean }>;
  },
) {
  const encoder = new TextEncoder();
  const first = await input.next();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(
        encoder.encode(`\uFEFF${csvRow(input.header)}${first.rows.map(csvRow).join('')}`),
      );
      if (first.done) controller.close();
    },
    async pull(controller) {
      const { rows, done } = await input.next();
      const text = rows.map(csvRow).join('');
      if (text) controller.enqueue(encoder.encode(text));
      if (done) controller.close();
    },
  });
  const file = input.filename.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '') || 'contacts';
  return c.body(body, 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${encodeURIComponent(file)}.csv"; filename*=UTF-8''${encodeURIComponent(file)}.csv`,
    'cache-control': 'no-store',
  });
}

/** The contact properties the workspace knows, one CSV column each. */
export async function propertyColumns(deps: AppDeps, workspaceId: string): Promise<string[]> {
  const known = await listKnownProperties(deps.sql, workspaceId);
  return known.properties.filter((p) => p.scope === 'contact').map((p) => p.name);
}

/**
 * `GET /api/segments/:id/export`: the segment's members as CSV (email, external id, since when,
 * score, tags, then one column per contact property the workspace knows), streamed 1,000 contacts
 * at a time by contact id, so a segment of a million is never held in memory.
 */
export async function exportSegmentMembers(deps: AppDeps, c: Context<AppEnv>, segmentId: string) {
  const workspaceId = c.get('workspaceId');
  const segment = await getSegmentWithStats(deps.sql, workspaceId, segmentId);
  if (!segment) throw notFound('The segment');
  const columns = await propertyColumns(deps, workspaceId);
  let after: string | undefined;
  return csvDownload(c, {
    filename: segment.name,
    header: ['email', 'external_id', 'member_since', 'score', 'tags', ...columns],
    async next() {
      const members = await listSegmentMembers(deps.sql, {
        workspaceId,
        segmentId: segment.id,
        after,
        limit: PAGE,
      });
      after = members.at(-1)?.id;
      return {
        done: members.length < PAGE,
        rows: members.map((m) => [
          m.email,
          m.externalId,
          m.enteredAt,
          m.score,
          m.tags.join('; '),
          ...columns.map((name) => valueAt(m.properties, name)),
        ]),
      };
    },
  });
}

/**
 * `GET /api/contacts/export`: the contacts a list search shows (search text, segment, filter), as
 * CSV: email, external id, added, score, lifecycle stage, time zone, tags, then one column per
 * contact property the workspace knows. Streamed 1,000 at a time, newest first.
 */
export async function exportContacts(
  deps: AppDeps,
  c: Context<AppEnv>,
  search: Omit<ContactSearch, 'cursor' | 'limit'>,
) {
  const workspaceId = c.get('workspaceId');
  const columns = await propertyColumns(deps, workspaceId);
  let cursor: string | undefined;
  return csvDownload(c, {
    filename: 'contacts',
    header: [
      'email',
      'external_id',
      'added',
      'score',
      'lifecycle_stage',
      'timezone',
      'tags',
      ...columns,
    ],
    async next() {
      const page = await listContacts(deps.sql, workspaceId, {
        ...search,
        ...(cursor ? { cursor } : {}),
        limit: PAGE,
      });
      cursor = page.nextCursor ?? undefined;
      return {
        done: page.nextCursor === null,
        rows: page.contacts.map((k) => [
          k.email,
          k.externalId,
          k.createdAt,
          k.score,
          k.lifecycleStage,
          k.timezone,
          k.tags.join('; '),
          ...columns.map((name) => valueAt(k.properties, name)),
        ]),
      };
    },
  });
}
