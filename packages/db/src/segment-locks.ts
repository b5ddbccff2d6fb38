import type { TransactionSql } from './sql';

// Advisory lock keys (two-int form): settles take the workspace lock shared and each contact's
// lock exclusively, so two settles of one contact run one after the other and each sees the
// other's result; full rebuilds take the workspace lock exclusively, so a rebuild computed from
// one snapshot never undoes a settle that committed meanwhile.
const WORKSPACE_SPACE = 7_305_524;
const CONTACT_SPACE = 7_305_525;

export async function lockWorkspaceShared(tx: TransactionSql, workspaceId: string) {
  await tx`select pg_advisory_xact_lock_shared(${WORKSPACE_SPACE}, hashtext(${workspaceId}))`;
}

export async function lockWorkspaceExclusive(tx: TransactionSql, workspaceId: string) {
  await tx`select pg_advisory_xact_lock(${WORKSPACE_SPACE}, hashtext(${workspaceId}))`;
}

/** Locks contacts in id order (the same order everywhere: no deadlocks between settles). */
export async function lockContacts(tx: TransactionSql, contactIds: readonly string[]) {
  if (contactIds.length === 0) return;
  await tx`
    select pg_advisory_xact_lock(${CONTACT_SPACE}, hashtext(id::text))
    from unnest(${[...contactIds].sort()}::uuid[]) with ordinality as u(id, n)
    order by n`;
}
