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

/** Headers, delimiter and the first few rows of a CSV text's beginning. */
export function readCsvHead(text: string, rows = 3) {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const delimiter = guessDelimiter(lines[0] ?? '');
  const headers = splitRecord(lines[0] ?? '', delimiter);
  // The last line of a slice may be cut in the middle.
  const sample = lines.slice(1, 1 + rows).map((l) => splitRecord(l, delimiter));
  return { delimiter, headers, sample };
}

/** What a column becomes: skipped, a built-in field, or a property of a type. */
export type ColumnTarget =
  | { kind: 'skip' }
  | { kind: 'field'; field: '$email' | '$external_id' | '$tags' | '$timezone' | '$lifecycle_stage' }
  | { kind: 'property'; property: string; type: 'auto' | 'string' | 'number' | 'boolean' | 'date' };

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

/** The target a header gets before the marketer changes it (as the server would choose). */
export function defaultTarget(header: string): ColumnTarget {
  const key = snakeCase(header);
  return (
    FIELDS[key] ?? (key ? { kind: 'property', property: key, type: 'auto' } : { kind: 'skip' })
  );
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
