import type { ContactRef, IdentifierField, IdentityIndex } from './ingest-identity';
import { mergeContactsIn } from './merge';
import { lockContacts, lockWorkspaceShared } from './segment-locks';
import type { TransactionSql } from './sql';

/** A message that names two contacts: `other` is merged into `survivor`. */
interface MergePair {
  survivor: ContactRef;
  other: ContactRef;
  field: 'traits.email' | 'anonymousId' | 'previousId' | 'userId';
  messageId: string | null;
  /** The message's type: an identify, an alias, or a track (page, screen) sent with both ids. */
  by: 'identify' | 'track' | 'alias';
}

export interface IdentifyClaims {
  /** The message's index in its batch. */
  message: number;
  by: 'identify' | 'track' | 'alias';
  ref: ContactRef;
  email?: string | undefined;
  anonymousId?: string | undefined;
  /** An alias's: the contact its previousId names, and which of its identifiers it is. */
  previous?: { ref: ContactRef; field: IdentifierField } | undefined;
  messageId?: string | undefined;
}

/**
 * The merges a batch's messages ask for: an identify whose email a contact without a userId
 * holds, or an identify or track (page, screen) with a userId whose anonymousId an anonymous
 * contact holds, names the same person twice. The contact
 * the message resolved to (by userId first) survives. A contact with its own, other userId is
 * another person, whatever identifier the message shares with it: a merge could not be undone,
 * and the write key is public. An email it holds stays its own (the message's email is not
 * set); an anonymousId it holds is a shared device. Both are a warning, not a merge.
 *
 * An alias says outright that its previousId and its userId are one person, so the contact its
 * previousId names is merged into its userId's even when that is another user, if previousId is
 * that user's own userId: the caller named both users. A previousId that is only another user's
 * anonymousId or email is not enough, for the same reasons as above (a warning, no merge).
 */
export function findIdentifyMerges(
  index: IdentityIndex,
  claims: readonly IdentifyClaims[],
): {
  pairs: MergePair[];
  /** Messages whose anonymousId another user holds. */ sharedDevice: Set<number>;
  /** Messages whose email another user holds: the email is not set. */ emailTaken: Set<number>;
  /** Aliases whose previousId is another user's anonymousId or email: not merged. */
  previousOfOtherUser: Set<number>;
} {
  const pairs: MergePair[] = [];
  const sharedDevice = new Set<number>();
  const emailTaken = new Set<number>();
  const previousOfOtherUser = new Set<number>();
  const sameContact = (a: ContactRef, b: ContactRef) => a === b || (a.id !== null && a.id === b.id);
  const otherUser = (holder: ContactRef, ref: ContactRef) =>
    holder.externalId !== null && holder.externalId !== ref.externalId;
  for (const c of claims) {
    const messageId = c.messageId ?? null;
    const previous = c.previous;
    if (previous && !sameContact(previous.ref, c.ref)) {
      if (previous.field !== 'externalId' && otherUser(previous.ref, c.ref))
        previousOfOtherUser.add(c.message);
      else
        pairs.push({
          survivor: c.ref,
          other: previous.ref,
          field: 'previousId',
          messageId,
          by: c.by,
        });
    }
    const emailHolder = c.email ? index.byEmail.get(c.email) : undefined;
    const mergesEmailHolder = emailHolder !== undefined && !sameContact(emailHolder, c.ref);
    if (mergesEmailHolder) {
      if (otherUser(emailHolder, c.ref)) emailTaken.add(c.message);
      else {
        pairs.push({
          survivor: c.ref,
          other: emailHolder,
          field: 'traits.email',
          messageId,
          by: c.by,
        });
      }
    }
    const anonymousHolder = c.anonymousId ? index.byAnonymous.get(c.anonymousId) : undefined;
    if (anonymousHolder && !sameContact(anonymousHolder, c.ref)) {
      if (otherUser(anonymousHolder, c.ref)) sharedDevice.add(c.message);
      else if (anonymousHolder !== emailHolder)
        pairs.push({
          survivor: c.ref,
          other: anonymousHolder,
          field: 'anonymousId',
          messageId,
          by: c.by,
        });
    }
  }
  return { pairs, sharedDevice, emailTaken, previousOfOtherUser };
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
      reason: { by: pair.by, field: pair.field, messageId: pair.messageId },
    });
    mergedInto.set(other, survivor);
    changeIds.push(...merged.changeIds);
  }
  return { survivorOf, changeIds };
}
