import type { Sql, TransactionSql } from './sql';

/** The pool or a transaction: queries that may run inside a caller's `sql.begin` take either. */
export type Queryable = Sql | TransactionSql;
