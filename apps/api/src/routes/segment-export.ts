import type { Context } from 'hono';
import { getSegmentWithStats, listKnownProperties, listSegmentMembers } from '@relance/db';
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
 * `GET /api/segments/:id/export`: the segment's members as CSV (email, external id, since when,
 * score, tags, then one column per contact property the workspace knows), streamed 1,000 contacts
 * at a time by contact id, so a segment of a million is never held in memory.
 */
export async function exportSegmentMembers(deps: AppDeps, c: Context<AppEnv>, segmentId: string) {
  const workspaceId = c.get('workspaceId');
  const segment = await getSegmentWithStats(deps.sql, workspaceId, segmentId);
  if (!segment) throw notFound('The segment');
  const known = await listKnownProperties(deps.sql, workspaceId);
  const columns = known.properties.filter((p) => p.scope === 'contact').map((p) => p.name);
  const encoder = new TextEncoder();
  let after: string | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      // A byte-order mark, so that spreadsheets read accents as UTF-8.
      controller.enqueue(
        encoder.encode(
          `\uFEFF${csvRow(['email', 'external_id', 'member_since', 'score', 'tags', ...columns])}`,
        ),
      );
    },
    async pull(controller) {
      const members = await listSegmentMembers(deps.sql, {
        workspaceId,
        segmentId: segment.id,
        after,
        limit: PAGE,
      });
      const done = members.length < PAGE;
      after = members.at(-1)?.id;
      const text = members
        .map((m) =>
          csvRow([
            m.email,
            m.externalId,
            m.enteredAt,
            m.score,
            m.tags.join('; '),
            ...columns.map((name) => valueAt(m.properties, name)),
          ]),
        )
        .join('');
      if (text) controller.enqueue(encoder.encode(text));
      if (done) controller.close();
    },
  });
  const file = segment.name.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '') || 'segment';
  return c.body(body, 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${encodeURIComponent(file)}.csv"; filename*=UTF-8''${encodeURIComponent(file)}.csv`,
    'cache-control': 'no-store',
  });
}
