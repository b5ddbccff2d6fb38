import type { ContactRef, IdentityIndex } from './ingest-identity';
import { mergeContactsIn } from './merge';
import { lockContacts, lockWorkspaceShared } from './segment-locks';
import type { TransactionSql } from './sql';

/** An identify that names two contacts: `other` is merged into `survivor`. */
interface MergePair {
  survivor: ContactRef;
  other: ContactRef;
  field: 'traits.email' | 'anonymousId';
  messageId: string | null;
}

export interface IdentifyClaims {
  /** The message's index in its batch. */
  message: number;
  ref: ContactRef;
  email?: string | undefined;
  anonymousId?: string | undefined;
  messageId?: string | undefined;
}

/**
 * The merges a batch's identifies ask for: one whose email another contact holds, or whose
 * anonymousId an anonymous contact holds, names the same person twice. The contact the message
 * resolved to (by userId first) survives. An anonymousId held by a contact with its own userId
 * is a shared device, not the same person: a warning, no merge.
 */
export function findIdentifyMerges(
  index: IdentityIndex,
  claims: readonly IdentifyClaims[],
): {
  pairs: MergePair[];
  /** Messages whose anonymousId another user holds. */ sharedDevice: Set<number>;
} {
  const pairs: MergePair[] = [];
  const sharedDevice = new Set<number>();
  for (const c of claims) {
    const messageId = c.messageId ?? null;
    const emailHolder = c.email ? index.byEmail.get(c.email) : undefined;
    if (emailHolder && emailHolder !== c.ref) {
      pairs.push({ survivor: c.ref, other: emailHolder, field: 'traits.email', messageId });
    }
    const anonymousHolder = c.anonymousId ? index.byAnonymous.get(c.anonymousId) : undefined;
    if (anonymousHolder && anonymousHolder !== c.ref && anonymousHolder !== emailHolder) {
      if (anonymousHolder.externalId === null) {
        pairs.push({ survivor: c.ref, other: anonymousHolder, field: 'anonymousId', messageId });
      } else sharedDevice.add(c.message);
    }
  }
  return { pairs, sharedDevice };
}

/**
 * Takes the settle locks of the existing contacts the merges will touch, all at once and before
 * the batch writes anything, in the order settles take them (no deadlock with a settle).
 */
export async function lockMergeContacts(
  tx: TransactionSql,
  workspaceId: string,
  pairs: readonly MergePair[],
) {
  const ids = pairs.flatMap((p) => [p.survivor.id, p.other.id]).filter((id) => id !== null);
  if (ids.length === 0) return;
  await lockWorkspaceShared(tx, workspaceId);
  await lockContacts(tx, [...new Set(ids)]);
}

/**
 * Runs the merges (after the batch's contacts exist and its events are stored, so they move
 * too) and returns where each merged contact went and the segment changes the merges made.
 */
export async function applyIdentifyMerges(
  tx: TransactionSql,
  workspaceId: string,
  pairs: readonly MergePair[],
  now: Date,
): Promise<{ survivorOf: (id: string) => string; changeIds: string[] }> {
  const mergedInto = new Map<string, string>();
  const survivorOf = (id: string): string => {
    let at = id;
    for (let next = mergedInto.get(at); next !== undefined; next = mergedInto.get(at)) at = next;
    return at;
  };
  const changeIds: string[] = [];
  for (const pair of pairs) {
    const survivor = survivorOf(pair.survivor.id!);
    const other = survivorOf(pair.other.id!);
    if (survivor === other) continue;
    const merged = await mergeContactsIn(tx, {
      workspaceId,
      contactId: survivor,
      otherId: other,
      now,
      reason: { by: 'identify', field: pair.field, messageId: pair.messageId },
    });
    mergedInto.set(other, survivor);
    changeIds.push(...merged.changeIds);
  }
  return { survivorOf, changeIds };
}
