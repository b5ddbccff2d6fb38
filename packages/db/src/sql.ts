import postgres from 'postgres';

export type Sql = postgres.Sql;
export type TransactionSql = postgres.TransactionSql;

export interface SqlOptions {
  databaseUrl: string;
  /** Pool size; API and worker each hold their own pool. */
  max?: number;
  /** Application name shown in pg_stat_activity. */
  applicationName?: string;
}

/** One pool per process. Columns come back camelCased; jsonb contents are left untouched. */
export function createSql(options: SqlOptions): Sql {
  return postgres(options.databaseUrl, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { application_name: options.applicationName ?? 'relance' },
    transform: {
      column: { from: postgres.toCamel, to: postgres.fromCamel },
      undefined: null,
    },
  });
}

/**
 * Runs a statement that `signal` can stop: when it aborts (the client that asked went away), the
 * statement is cancelled in PostgreSQL rather than left to finish for nobody, and this rejects.
 */
export async function cancellable<T extends readonly postgres.MaybeRow[]>(
  query: postgres.PendingQuery<T>,
  signal: AbortSignal | undefined,
): Promise<postgres.RowList<T>> {
  if (!signal) return query;
  signal.throwIfAborted();
  const cancel = () => void query.cancel();
  signal.addEventListener('abort', cancel, { once: true });
  try {
    return await query;
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}
