import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { CsvError, parse } from 'csv-parse';
import type { Context } from 'hono';
import { z } from 'zod';
import { PropertyPath } from '@relance/flow';
import {
  dispatchFromOutbox,
  isKnownTimeZone,
  listKnownProperties,
  normaliseEmail,
  settleContacts,
  upsertContacts,
  type ContactUpsert,
  writeJourneyOutbox,
} from '@relance/db';
import type { AppDeps, AppEnv } from '../env';
import { ApiError } from '../errors';
import { whyUnstorable } from '../storable-text';
import { toIssues } from '../validation';
import { convertCell, DATE_ORDERS } from '../import/cell-values';

const CHUNK = 1_000;
const REPORTED = 1_000;
/**
 * The most one row may hold. Far above any real row, it stops a quote that is never closed from
 * making the parser hold the rest of the file as one value.
 */
const MAX_ROW_BYTES = 1024 * 1024;

const Target = z.union(
  [
    z.literal(''),
    z.enum(['$email', '$external_id', '$tags', '$timezone', '$lifecycle_stage']),
    PropertyPath,
    z.object({ property: PropertyPath, type: z.enum(['string', 'number', 'boolean', 'date']) }),
  ],
  {
    error:
      'Map a header to "$email", "$external_id", "$tags", "$timezone", "$lifecycle_stage", a property name, "" to ignore it, or { "property": …, "type": "string" | "number" | "boolean" | "date" }',
  },
);
type Target = z.infer<typeof Target>;

const ImportQuery = z.object({
  mapping: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return {};
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: 'Send the mapping as a JSON object: {"CSV header": "property"}',
        });
        return z.NEVER;
      }
    })
    .pipe(z.record(z.string(), Target)),
  segmentId: z.uuid('Not a segment id').optional(),
  delimiter: z.enum([',', ';', '\t', '|']).default(','),
  dateOrder: z
    .enum(DATE_ORDERS, {
      error:
        'Name the order of the dates written like 04/03/2019: "dmy" (day first), "mdy" (month first) or "ymd" (year first)',
    })
    .optional(),
});

// A Map, like the mapping's own-property lookup below: a header such as "constructor" is a
// property like any other, never something an object inherits.
const DEFAULT_TARGETS = new Map<string, Target>([
  ['email', '$email'],
  ['e-mail', '$email'],
  ['email_address', '$email'],
  ['external_id', '$external_id'],
  ['externalid', '$external_id'],
  ['user_id', '$external_id'],
  ['userid', '$external_id'],
  ['tags', '$tags'],
  ['timezone', '$timezone'],
  ['time_zone', '$timezone'],
  ['lifecycle_stage', '$lifecycle_stage'],
]);

const snake = (header: string) =>
  header
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');

/** The target of a header: the mapping's, a known column name, or the header as a property. */
function targetOf(header: string, mapping: Record<string, Target>): Target {
  if (Object.hasOwn(mapping, header)) return mapping[header]!;
  const key = snake(header);
  const known = DEFAULT_TARGETS.get(key);
  if (known !== undefined) return known;
  return PropertyPath.safeParse(key).success ? key : '';
}

const EMAIL = z.email();
/** Bodies that are not a CSV file: JSON, a form's fields or files. */
const NOT_CSV =
  /^(application\/([\w.+-]+\+)?json|multipart\/form-data|application\/x-www-form-urlencoded)$/;

const emptyBody = () => {
  const message =
    'The body is empty: send the CSV file as the body, with Content-Type: text/csv, its first line the column headers';
  return new ApiError(400, 'empty_body', message, [{ field: '(body)', message }]);
};

interface Rejection {
  line: number;
  field: string;
  reason: string;
}

export interface ImportReport {
  rows: number;
  created: number;
  updated: number;
  rejected: number;
  /** The first 1,000 rejected rows: CSV line, column, reason. */
  rejections: Rejection[];
  /** Rows imported without one or more of their values (a cell that could not be read). */
  rowsWithSkippedValues: number;
  /** How many warnings there were in all; `warnings` holds the first 1,000. */
  warned: number;
  /** The first 1,000 warnings: a value left out (its row imported without it), a mapping. */
  warnings: Rejection[];
  columns: { header: string; target: string; type: string | null }[];
  segmentId: string | null;
}

/**
 * `POST /api/contacts/import`: a CSV body streamed through the parser 1,000 rows at a time
 * (never the whole file in memory), each chunk upserted in one transaction and its contacts'
 * segments re-evaluated, so 100,000 rows import in one request.
 */
export async function importContactsCsv(
  deps: AppDeps,
  c: Context<AppEnv>,
  now: () => Date,
): Promise<ImportReport> {
  const query = ImportQuery.safeParse(c.req.query());
  if (!query.success) {
    const issues = toIssues(query.error, 'query');
    throw new ApiError(
      400,
      'invalid_request',
      issues.map((i) => `${i.field}: ${i.message}`).join('; '),
      issues,
    );
  }
  const { mapping, segmentId, delimiter, dateOrder } = query.data;
  const workspaceId = c.get('workspaceId');
  if (segmentId) {
    const [segment] = await deps.sql<{ kind: string }[]>`
      select kind from segments where workspace_id = ${workspaceId} and id = ${segmentId}`;
    if (!segment)
      throw new ApiError(400, 'invalid_segment', 'No segment has this id', [
        { field: 'query.segmentId', message: 'No segment has this id' },
      ]);
    if (segment.kind !== 'static') {
      throw new ApiError(409, 'not_static', 'Contacts can only be imported into a static segment', [
        { field: 'query.segmentId', message: 'Choose a static segment' },
      ]);
    }
  }
  // A JSON body or a form upload is read as CSV text otherwise: no header matches, 0 rows.
  const mediaType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (NOT_CSV.test(mediaType)) {
    const message = `The body is ${mediaType}: send the CSV file itself as the body, with Content-Type: text/csv (curl --data-binary @contacts.csv -H 'Content-Type: text/csv')`;
    throw new ApiError(415, 'unsupported_media_type', message, [
      { field: 'headers.content-type', message },
    ]);
  }
  const body = c.req.raw.body;
  if (!body || c.req.header('content-length') === '0') throw emptyBody();
  const known = new Map(
    (await listKnownProperties(deps.sql, workspaceId)).properties
      .filter((p) => p.scope === 'contact')
      .map((p) => [p.name, p.type]),
  );
  const log = deps.log ?? ((line: string) => console.error(line));
  const report: ImportReport = {
    rows: 0,
    created: 0,
    updated: 0,
    rejected: 0,
    rejections: [],
    rowsWithSkippedValues: 0,
    warned: 0,
    warnings: [],
    columns: [],
    segmentId: segmentId ?? null,
  };
  const reject = (r: Rejection) => {
    report.rejected++;
    if (report.rejections.length < REPORTED) report.rejections.push(r);
  };
  const warn = (w: Rejection) => {
    report.warned++;
    if (report.warnings.length < REPORTED) report.warnings.push(w);
  };

  // Set when the header line is read (a callback: `as` keeps it from narrowing to null).
  let columns = null as { header: string; target: Target }[] | null;
  // The last line of the last row parsed (read or not yet), to tell where an unreadable one starts.
  let lastLine = 1;
  const parser = Readable.fromWeb(body as NodeReadableStream<Uint8Array>).pipe(
    parse({
      delimiter,
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      // A quote inside an unquoted value (5'11", a "best" offer) is read as it stands, as
      // spreadsheets do, rather than failing the file.
      relax_quotes: true,
      max_record_size: MAX_ROW_BYTES,
      info: true,
      on_record: (record, context) => {
        lastLine = context.lines;
        return record;
      },
      columns: (headers: string[]) => {
        columns = headers.map((header) => ({ header, target: targetOf(header, mapping) }));
        // A mapping for a column the file lacks (a typo, another export's header) would
        // otherwise leave its values unread without a word.
        for (const named of Object.keys(mapping).filter((h) => !headers.includes(h))) {
          warn({
            line: 1,
            field: named,
            reason: `The mapping names "${named}" but the file has no such column (its columns: ${headers.join(', ')})`,
          });
        }
        report.columns = columns.map(({ header, target }) => {
          const property = typeof target === 'object' ? target.property : target;
          const type =
            typeof target === 'object'
              ? target.type
              : property.startsWith('$') || property === ''
                ? null
                : (known.get(property) ?? 'string');
          return { header, target: property, type };
        });
        return headers;
      },
    }),
  );

  let chunk: { line: number; row: ContactUpsert; skipped: Rejection[] }[] = [];
  // A chunk's segments are settled while the next chunk is written: one settle in flight,
  // awaited before the next starts and at the end, so its failure still fails the import (the
  // contacts stay queued for the segment tick).
  let settling: Promise<void> = Promise.resolve();
  // Each chunk's transaction and each of its settle's write one journey outbox row, cleared
  // once their facts were dispatched: an import stopped in between leaves them to the worker.
  const settle = async (
    touched: string[],
    changeIds: string[],
    at: Date,
    outboxIds: readonly string[],
  ) => {
    const settled = await settleContacts(deps.sql, {
      workspaceId,
      contactIds: touched,
      now: at,
      cause: 'import',
      outbox: true,
    });
    await dispatchFromOutbox(
      deps.sql,
      deps.dispatcher,
      workspaceId,
      {
        changeIds: [...changeIds, ...settled.changeIds],
        contactIds: [...new Set(touched)],
        outboxIds: [...outboxIds, ...settled.outboxIds],
      },
      log,
    );
  };
  const flush = async () => {
    if (chunk.length === 0) return;
    const rows = chunk;
    chunk = [];
    const at = now();
    const { result, outboxId } = await deps.sql.begin(async (tx) => {
      const result = await upsertContacts(
        tx,
        deps.sql,
        workspaceId,
        rows.map((r) => r.row),
        { now: at, staticSegmentId: segmentId, cause: 'import' },
      );
      const outboxId = await writeJourneyOutbox(tx, workspaceId, {
        changeIds: result.changeIds,
        contactIds: [
          ...new Set(
            result.outcomes.flatMap((o) => (o.status === 'rejected' ? [] : [o.contactId])),
          ),
        ],
      });
      return { result, outboxId };
    });
    result.afterCommit();
    const touched: string[] = [];
    result.outcomes.forEach((outcome, k) => {
      if (outcome.status === 'rejected')
        return reject({ line: rows[k]!.line, field: outcome.field, reason: outcome.reason });
      report[outcome.status]++;
      touched.push(outcome.contactId);
      const { line, skipped } = rows[k]!;
      if (skipped.length > 0) report.rowsWithSkippedValues++;
      for (const w of skipped) warn(w);
      if (outcome.warning) warn({ line, ...outcome.warning });
    });
    await settling;
    settling = settle(touched, result.changeIds, at, outboxId === null ? [] : [outboxId]);
    // Awaited at the next flush or at the end; never left unhandled meanwhile.
    settling.catch(() => {});
  };

  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      report.rows++;
      const row: ContactUpsert = { properties: {} };
      // What makes the row no contact at all (its identity unreadable) rejects it; a value that
      // cannot be read is left out, the contact imported with the others (an existing one keeps
      // its own), and told in the warnings.
      let problem: Rejection | null = null;
      const skipped: Rejection[] = [];
      for (const { header, target } of columns ?? []) {
        const cell = record[header];
        if (cell === undefined || cell === '' || target === '') continue;
        // A null character fails the statement of the whole chunk: only its row is refused.
        const unstorable = whyUnstorable(cell);
        if (unstorable) {
          problem ??= { line: info.lines, field: header, reason: unstorable };
          continue;
        }
        const name = typeof target === 'object' ? target.property : target;
        switch (name) {
          case '$email':
            if (!EMAIL.safeParse(cell).success)
              problem ??= {
                line: info.lines,
                field: header,
                reason: `"${cell}" is not an email address`,
              };
            else row.email = normaliseEmail(cell);
            break;
          case '$external_id':
            row.externalId = cell;
            break;
          case '$tags':
            row.tags = cell
              .split(/[,;|]/)
              .map((t) => t.trim())
              .filter(Boolean);
            break;
          case '$timezone':
            if (await isKnownTimeZone(deps.sql, deps.sql, cell)) row.timezone = cell;
            else
              skipped.push({
                line: info.lines,
                field: header,
                reason: `"${cell}" is not a time zone: write its name as in Europe/Paris or America/New_York`,
              });
            break;
          case '$lifecycle_stage':
            row.lifecycleStage = cell;
            break;
          default: {
            const type = typeof target === 'object' ? target.type : (known.get(name) ?? 'string');
            const converted = convertCell(cell, type, dateOrder);
            if ('reason' in converted)
              skipped.push({ line: info.lines, field: header, reason: converted.reason });
            else row.properties![name] = converted.value;
          }
        }
      }
      if (!problem && !row.email && !row.externalId) {
        problem = {
          line: info.lines,
          field: 'email',
          reason: 'The row has neither an email nor an external id',
        };
      }
      if (problem) reject(problem);
      else chunk.push({ line: info.lines, row, skipped });
      if (chunk.length >= CHUNK) await flush();
    }
    await flush();
    await settling;
    // Not even a header line: an empty file, or a body that was not sent.
    if (columns === null) throw emptyBody();
  } catch (error) {
    // The rows written so far are settled before answering; the first error is the one told.
    await settling.catch(() => {});
    // Every error of the parser (its codes do not all start with CSV_: INVALID_OPENING_QUOTE).
    if (error instanceof CsvError) {
      const message =
        error.code === 'CSV_MAX_RECORD_SIZE'
          ? `The row after line ${lastLine} is over ${MAX_ROW_BYTES / 1024 / 1024} MB: a quote (") that opens a value is probably never closed. Close it or remove it, and import the file again`
          : error.message;
      throw new ApiError(
        400,
        'invalid_csv',
        `The CSV could not be read after ${report.rows} rows: ${message}`,
        [{ field: '(body)', message }],
      );
    }
    throw error;
  }
  return report;
}
