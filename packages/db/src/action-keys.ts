import type { Queryable } from './queryable';

/** What a retried action finds under its key. */
export type ActionClaim =
  | { claimed: true }
  | { claimed: false; state: 'started' | 'done'; result: Record<string, unknown> | null };

/**
 * Records an action's idempotency key before its side effect. `claimed: false` means an earlier
 * attempt got there first: `done` with its result, or `started` (interrupted mid-effect). Call
 * it in the same transaction as a database side effect, so key and effect commit together.
 */
export async function claimActionKey(
  sql: Queryable,
  input: { key: string; workspaceId: string; runId: string; nodeId: string; kind: string },
): Promise<ActionClaim> {
  const [claimed] = await sql<{ key: string }[]>`
    insert into action_keys (key, workspace_id, run_id, node_id, kind, state)
    values (${input.key}, ${input.workspaceId}, ${input.runId}, ${input.nodeId}, ${input.kind}, 'started')
    on conflict (key) do nothing
    returning key`;
  if (claimed) return { claimed: true };
  const [existing] = await sql<
    { state: 'started' | 'done'; result: Record<string, unknown> | null }[]
  >`
    select state, result from action_keys where key = ${input.key} for update`;
  return { claimed: false, state: existing!.state, result: existing!.result };
}

/** Marks an action done and keeps its result for retries. */
export async function completeActionKey(
  sql: Queryable,
  input: { key: string; result: Record<string, unknown> },
): Promise<void> {
  await sql`
    update action_keys set state = 'done', result = ${sql.json(input.result as never)}, done_at = now()
    where key = ${input.key}`;
}

/** Forgets a key whose effect certainly did not happen, so the retry may act. */
export async function releaseActionKey(sql: Queryable, key: string): Promise<void> {
  await sql`delete from action_keys where key = ${key} and state = 'started'`;
}
