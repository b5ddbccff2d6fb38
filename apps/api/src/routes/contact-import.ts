import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { CsvError, parse } from 'csv-parse';
import type { Context } from 'hono';
import { z } from 'zod';
import { PropertyPath } from '@relance/flow';
import {
  dispatchFromOutbox,
  listKnownProperties,
  normaliseEmail,
  settleContacts,
  upsertContacts,
  type ContactUpsert,
  type PropertyType,
  writeJourneyOutbox,
} from '@relance/db';
import type { AppDeps, AppEnv } from '../env';
import { ApiError } from '../errors';
import { whyUnstorable } from '../storable-text';
import { toIssues } from '../validation';

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
/** A number as JSON writes it: digits, a dot for decimals, an optional exponent. */
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** A dot that may group thousands (1.500, 12.345.678): 1.5 to some, 1500 to others. */
const DOT_GROUPS = /^[+-]?[1-9]\d{0,2}(\.\d{3})+$/;
/** Digits with separators: a number written for people (1,500 · 1 500 · 1'500 · 1,5). */
const SEPARATED = /^[+-]?[\d.,' \u00a0\u202f]*\d[\d.,' \u00a0\u202f]*$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;

/** A cell as the property's type; a reason when it is not one. */
function convert(cell: string, type: PropertyType): { value: unknown } | { reason: string } {
  switch (type) {
    case 'number':
      return toNumber(cell.trim());
    case 'boolean': {
      const v = cell.trim().toLowerCase();
      if (['true', 'yes', 'y', '1'].includes(v)) return { value: true };
      if (['false', 'no', 'n', '0'].includes(v)) return { value: false };
      return { reason: `"${cell}" is not yes/no` };
    }
    case 'date':
      return ISO_DATE.test(cell.trim())
        ? { value: cell.trim() }
        : { reason: `"${cell}" is not an ISO date (2025-06-15)` };
    case 'array':
      return {
        value: cell
          .split(/[,;|]/)
          .map((s) => s.trim())
          .filter(Boolean),
      };
    case 'string':
    case 'object':
      return { value: cell };
  }
}

/**
 * A number cell, read only when it means one thing: "1,500" or "1.500" is 1.5 in some countries
 * and 1500 in others, so it is refused with the way to write it rather than guessed.
 */
function toNumber(cell: string): { value: number } | { reason: string } {
  if (DOT_GROUPS.test(cell) && !cell.includes('.', cell.indexOf('.') + 1)) {
    const decimal = String(Number(cell));
    const whole = cell.replace('.', '');
    return {
      reason: `"${cell}" could be ${decimal === cell ? cell : decimal} or ${whole}: write ${whole}, or ${decimal === cell ? `${cell}0` : decimal} for the decimal number`,
    };
  }
  if (PLAIN_NUMBER.test(cell)) {
    const n = Number(cell);
    if (Number.isFinite(n)) return { value: n };
  }
  if (SEPARATED.test(cell)) {
    return {
      reason: `"${cell}" is not a plain number: use a dot for decimals and no thousands separators, such as 1500 or 1500.5`,
    };
  }
  return { reason: `"${cell}" is not a number` };
}

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
  const { mapping, segmentId, delimiter } = query.data;
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
  const body = c.req.raw.body;
  if (!body)
    throw new ApiError(400, 'empty_body', 'Send the CSV as the request body', [
      { field: '(body)', message: 'Empty' },
    ]);
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
    warnings: [],
    columns: [],
    segmentId: segmentId ?? null,
  };
  const reject = (r: Rejection) => {
    report.rejected++;
    if (report.rejections.length < REPORTED) report.rejections.push(r);
  };

  let columns: { header: string; target: Target }[] = [];
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
          report.warnings.push({
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

  let chunk: { line: number; row: ContactUpsert }[] = [];
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
      if (outcome.warning && report.warnings.length < REPORTED)
        report.warnings.push({ line: rows[k]!.line, ...outcome.warning });
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
      let problem: Rejection | null = null;
      for (const { header, target } of columns) {
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
            row.timezone = cell;
            break;
          case '$lifecycle_stage':
            row.lifecycleStage = cell;
            break;
          default: {
            const type = typeof target === 'object' ? target.type : (known.get(name) ?? 'string');
            const converted = convert(cell, type);
            if ('reason' in converted)
              problem ??= { line: info.lines, field: header, reason: converted.reason };
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
      else chunk.push({ line: info.lines, row });
      if (chunk.length >= CHUNK) await flush();
    }
    await flush();
    await settling;
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
