import postgres from 'postgres';
import type { Sql } from '@relance/db';

/** A read of a table in a query plan. */
export interface Scan {
  node: string;
  relation: string;
  index?: string;
  /** The CTE or subplan it is in ('' at the top). */
  within: string;
}

/** Every read of a table in a plan (EXPLAIN's JSON). */
export function scansOf(node: unknown, within = '', found: Scan[] = []): Scan[] {
  if (Array.isArray(node)) for (const child of node) scansOf(child, within, found);
  else if (typeof node === 'object' && node !== null) {
    const n = node as Record<string, unknown>;
    const here = typeof n['Subplan Name'] === 'string' ? n['Subplan Name'] : within;
    if (typeof n['Relation Name'] === 'string' && n['Node Type'] !== 'ModifyTable') {
      // A bitmap scan names its index on the child that reads it.
      const index =
        n['Index Name'] ??
        (n['Plans'] as Record<string, unknown>[] | undefined)?.[0]?.['Index Name'];
      found.push({
        node: n['Node Type'] as string,
        relation: n['Relation Name'],
        ...(typeof index === 'string' ? { index } : {}),
        within: here,
      });
    }
    for (const value of Object.values(n)) scansOf(value, here, found);
  }
  return found;
}

/**
 * Runs `work` on its own pool (configured as the app's) and returns the statements it sent, as
 * each connection sent them, to be explained with the same parameters.
 */
export async function statementsOf(
  url: string,
  work: (sql: Sql) => Promise<unknown>,
): Promise<{ connection: number; text: string; params: unknown[] }[]> {
  const sent: { connection: number; text: string; params: unknown[] }[] = [];
  const watched = postgres(url, {
    max: 2,
    onnotice: () => {},
    transform: {
      column: { from: postgres.toCamel, to: postgres.fromCamel },
      undefined: null,
    },
    debug: (connection, text, params) => sent.push({ connection, text, params }),
  });
  try {
    await work(watched);
  } finally {
    await watched.end();
  }
  return sent;
}
