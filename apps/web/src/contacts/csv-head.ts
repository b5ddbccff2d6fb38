// The first lines of a CSV file, read in the browser before uploading, so the marketer maps
// columns while seeing what they hold. The server parses the whole file.

export type Delimiter = ',' | ';' | '\t' | '|';

/** Splits one CSV record, honouring quotes ("a, b" and doubled "" quotes). */
export function splitRecord(line: string, delimiter: Delimiter): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells.map((c) => c.trim());
}

/** The delimiter the header line uses most. */
export function guessDelimiter(headerLine: string): Delimiter {
  const candidates: Delimiter[] = [',', ';', '\t', '|'];
  return candidates.reduce((best, d) =>
    headerLine.split(d).length > headerLine.split(best).length ? d : best,
  );
}

/**
 * Headers, delimiter and the first rows of a CSV text's beginning (`complete` when the text is
 * the whole file): `sample` the few shown, `rows` every whole one, to guess each column's type.
 */
export function readCsvHead(text: string, rows = 3, { complete = false } = {}) {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const delimiter = guessDelimiter(lines[0] ?? '');
  const headers = splitRecord(lines[0] ?? '', delimiter);
  // The last line of a slice may be cut in the middle.
  const sample = lines.slice(1, 1 + rows).map((l) => splitRecord(l, delimiter));
  const cut = !complete && !text.endsWith('\n');
  const whole = lines.slice(1, cut ? -1 : undefined).map((l) => splitRecord(l, delimiter));
  return { delimiter, headers, sample, rows: whole };
}

/** The types a column can be imported as (the server's conversions). */
export type ImportType = 'string' | 'number' | 'boolean' | 'date';

// A number as amounts and counts are written: no leading zero, plus sign or exponent (a postcode
// 01234 or a phone number +33 6… is text, whose zeros and signs a number would lose), and under
// ten digits before the point (ten or more are phone numbers and ids rather than quantities).
const QUANTITY = /^-?(0|[1-9]\d{0,8})(\.\d+)?$/;
// The values the server reads as dates and yes/no (apps/api/src/routes/contact-import.ts).
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;
const YES_NO = new Set(['true', 'false', 'yes', 'no']);
/** A date written day or month first (04/03/2019, 4.3.2019 14:30), read in the order chosen. */
const WRITTEN_DATE = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/;
/** Year first with another separator than ISO's (2019/03/04), read as it stands. */
const YEAR_FIRST = /^\d{4}([/.])\d{1,2}\1\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/;

/** The order of day, month and year in dates such as 04/03/2019 (`dateOrder` of the import). */
export type DateOrder = 'dmy' | 'mdy' | 'ymd';

/**
 * Whether values hold dates written day or month first, and the order they show: day first
 * when one has a day over 12 (31/12/2019), month first when one has it second (12/31/2019),
 * null when every one could be either (04/03/2019) or they disagree: the marketer chooses.
 */
export function writtenDateOrder(values: readonly string[]): {
  present: boolean;
  order: DateOrder | null;
} {
  let dayFirst = false;
  let monthFirst = false;
  let present = false;
  for (const value of values) {
    const match = WRITTEN_DATE.exec(value.trim());
    if (!match) continue;
    present = true;
    if (Number(match[1]) > 12) dayFirst = true;
    if (Number(match[3]) > 12) monthFirst = true;
  }
  return { present, order: dayFirst === monthFirst ? null : dayFirst ? 'dmy' : 'mdy' };
}

/**
 * The type a column's values show: number, date or yes/no when every filled cell reads as one,
 * text otherwise (and for a column with no value yet), so no row of the sample is refused for a
 * guess and no postcode or phone number loses its leading zero.
 */
export function guessType(values: readonly string[]): ImportType {
  const filled = values.map((v) => v.trim()).filter((v) => v !== '');
  if (filled.length === 0) return 'string';
  if (filled.every((v) => QUANTITY.test(v))) return 'number';
  if (filled.every((v) => ISO_DATE.test(v) || WRITTEN_DATE.test(v) || YEAR_FIRST.test(v)))
    return 'date';
  if (filled.every((v) => YES_NO.has(v.toLowerCase()))) return 'boolean';
  return 'string';
}

/** What a column becomes: skipped, a built-in field, or a property of a type. */
export type ColumnTarget =
  | { kind: 'skip' }
  | { kind: 'field'; field: '$email' | '$external_id' | '$tags' | '$timezone' | '$lifecycle_stage' }
  | { kind: 'property'; property: string; type: 'auto' | ImportType };

const FIELDS: Record<string, ColumnTarget> = {
  email: { kind: 'field', field: '$email' },
  e_mail: { kind: 'field', field: '$email' },
  email_address: { kind: 'field', field: '$email' },
  external_id: { kind: 'field', field: '$external_id' },
  user_id: { kind: 'field', field: '$external_id' },
  userid: { kind: 'field', field: '$external_id' },
  tags: { kind: 'field', field: '$tags' },
  timezone: { kind: 'field', field: '$timezone' },
  time_zone: { kind: 'field', field: '$timezone' },
  lifecycle_stage: { kind: 'field', field: '$lifecycle_stage' },
};

export function snakeCase(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * The target a header gets before the marketer changes it: a built-in field, or a property of
 * the type the workspace registered for it (`auto`: the server applies it, a list included) or,
 * for a new property, of the type its `values` show. Without values, the server's choice.
 */
export function defaultTarget(
  header: string,
  values?: readonly string[],
  registered?: ReadonlyMap<string, string>,
): ColumnTarget {
  const key = snakeCase(header);
  if (FIELDS[key]) return FIELDS[key];
  if (!key) return { kind: 'skip' };
  const type = values === undefined || registered?.has(key) ? 'auto' : guessType(values);
  return { kind: 'property', property: key, type };
}

/** The `mapping` query parameter of POST /api/contacts/import. */
export function mappingOf(headers: string[], targets: ColumnTarget[]): Record<string, unknown> {
  return Object.fromEntries(
    headers.map((header, i) => {
      const target = targets[i] ?? { kind: 'skip' };
      switch (target.kind) {
        case 'skip':
          return [header, ''];
        case 'field':
          return [header, target.field];
        case 'property':
          return [
            header,
            target.type === 'auto'
              ? target.property
              : { property: target.property, type: target.type },
          ];
        default: {
          const never: never = target;
          return never;
        }
      }
    }),
  );
}
