/** A JSON value, as rules carry them (in-lists, equality values). */
export type Json =
  string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

/** A parameter value: the driver serialises it for the type PostgreSQL infers from the cast. */
export type SqlValue = Date | readonly number[] | Json;

/**
 * The positional parameters of one SQL statement. Each placeholder carries its type
 * (`$3::numeric`), so PostgreSQL parses the value once when the statement is bound rather than
 * once per row, and no user value is ever part of the statement's text: a rule cannot inject
 * SQL.
 */
export class SqlParams {
  readonly values: SqlValue[] = [];

  private add(value: SqlValue, type: string): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }

  /** A text value: `$n::text`. */
  text(value: string | null): string {
    return this.add(value, 'text');
  }

  number(value: number): string {
    if (!Number.isFinite(value)) throw new RangeError(`Not a finite number: ${value}`);
    return this.add(String(value), 'numeric');
  }

  integer(value: number): string {
    if (!Number.isSafeInteger(value)) throw new RangeError(`Not an integer: ${value}`);
    return this.add(value, 'int');
  }

  integers(values: readonly number[]): string {
    for (const v of values)
      if (!Number.isSafeInteger(v)) throw new RangeError(`Not an integer: ${v}`);
    return this.add(values, 'int[]');
  }

  /** Finite numbers as a numeric[] (sent as text, so 0.1 stays exactly 0.1). */
  numbers(values: readonly number[]): string {
    for (const v of values)
      if (!Number.isFinite(v)) throw new RangeError(`Not a finite number: ${v}`);
    return this.add(values.map(String), 'numeric[]');
  }

  boolean(value: boolean): string {
    return this.add(value, 'boolean');
  }

  /**
   * Any JSON value as jsonb. Sent as JSON text: the driver would type a bare boolean or array
   * itself, and text-to-jsonb is folded once per statement, not run per row.
   */
  json(value: Json): string {
    return this.add(JSON.stringify(value), 'text::jsonb');
  }

  uuid(value: string): string {
    return this.add(value, 'uuid');
  }

  uuids(values: readonly string[]): string {
    return this.add(values, 'uuid[]');
  }

  timestamp(value: Date): string {
    return this.add(value, 'timestamptz');
  }

  /** A duration in milliseconds as an interval. */
  interval(ms: number): string {
    return this.add(`${ms / 1000} seconds`, 'interval');
  }

  /** A text[] (a jsonb path). */
  textArray(values: readonly string[]): string {
    return this.add(values, 'text[]');
  }
}

/** A statement ready for `sql.unsafe(text, values)`. */
export interface CompiledQuery {
  text: string;
  values: SqlValue[];
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
