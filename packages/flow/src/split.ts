// Deterministic A/B/n bucketing without crypto: workflow code must be replay-safe, so the same
// seed always lands in the same branch, on every worker and every replay.

/** A stable 32-bit hash of a string (FNV-1a over UTF-16 code units, then murmur3's finaliser). */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  // FNV alone leaves the low bits poorly mixed for short, similar seeds such as run ids.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** Buckets per percent point: splits resolve to 0.01 %. */
const BUCKETS = 10_000;

/**
 * Picks a split branch for `seed` (use `{workflowId}:{nodeId}`: stable per contact and run) in
 * proportion to the branches' percentages, which sum to 100.
 */
export function pickBranch(
  branches: readonly { id: string; percent: number }[],
  seed: string,
): string {
  if (branches.length === 0) throw new Error('A split needs at least one branch');
  const bucket = hashString(seed) % BUCKETS;
  let upper = 0;
  for (const branch of branches) {
    upper += branch.percent * (BUCKETS / 100);
    if (bucket < upper) return branch.id;
  }
  // Only reachable when percentages sum below 100; the last branch absorbs the rest.
  return branches[branches.length - 1]!.id;
}
