/**
 * The positional parameters of one SQL statement. Every value travels as text and is cast in
 * SQL (`$3::text::numeric`), so the driver never guesses a type and no user value is ever part
 * of the statement's text: a rule cannot inject SQL.
 */
export class SqlParams {
  readonly values: (string | null)[] = [];

  /** A text value: `$n::text`. */
  text(value: string | null): string {
    this.values.push(value);
    return `$${this.values.length}::text`;
  }

  number(value: number): string {
    if (!Number.isFinite(value)) throw new RangeError(`Not a finite number: ${value}`);
    return `${this.text(String(value))}::numeric`;
  }

  integer(value: number): string {
    if (!Number.isSafeInteger(value)) throw new RangeError(`Not an integer: ${value}`);
    return `${this.text(String(value))}::int`;
  }

  boolean(value: boolean): string {
    return `${this.text(value ? 'true' : 'false')}::boolean`;
  }

  /** Any JSON value as jsonb. */
  json(value: unknown): string {
    return `${this.text(JSON.stringify(value))}::jsonb`;
  }

  uuid(value: string): string {
    return `${this.text(value)}::uuid`;
  }

  uuids(values: readonly string[]): string {
    return `${this.text(`{${values.join(',')}}`)}::uuid[]`;
  }

  timestamp(value: Date): string {
    return `${this.text(value.toISOString())}::timestamptz`;
  }

  /** A duration in milliseconds as an interval. */
  interval(ms: number): string {
    return `${this.text(`${ms / 1000} seconds`)}::interval`;
  }

  /** A text[] (a jsonb path), quoted element by element. */
  textArray(values: readonly string[]): string {
    const literal = values.map((v) => `"${v.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`).join(',');
    return `${this.text(`{${literal}}`)}::text[]`;
  }
}

/** A statement ready for `sql.unsafe(text, values)`. */
export interface CompiledQuery {
  text: string;
  values: (string | null)[];
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
