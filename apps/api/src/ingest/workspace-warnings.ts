import type { IngestMessage } from '@relance/db';
import type { Issue } from '../errors';

/**
 * A message's warnings, or (`forWorkspace`) a check of many messages after one wait for the
 * workspace's lookup: a batch of 100 waits once, not 100 times.
 */
export type WarningsFor = ((workspaceId: string, message: IngestMessage) => Promise<Issue[]>) & {
  forWorkspace: (workspaceId: string) => Promise<(message: IngestMessage) => Issue[]>;
};

/**
 * Warnings that read something of the workspace (its live journeys, its order settings): the
 * lookup is loaded once per `ttlMs` per workspace (one query, shared by the requests that wait
 * for it), never per request, and a failed load is not kept, so the next request reads again.
 */
export function workspaceWarnings<T>(options: {
  now: () => Date;
  ttlMs: number;
  load: (workspaceId: string) => Promise<T>;
  check: (lookup: T, message: IngestMessage) => Issue[];
}): WarningsFor {
  const cache = new Map<string, { until: number; lookup: Promise<T> }>();
  const lookupOf = (workspaceId: string): Promise<T> => {
    const now = options.now().getTime();
    const cached = cache.get(workspaceId);
    if (cached && cached.until > now) return cached.lookup;
    if (cache.size > 10_000) cache.clear();
    const entry = { until: now + options.ttlMs, lookup: options.load(workspaceId) };
    cache.set(workspaceId, entry);
    entry.lookup.catch(() => {
      if (cache.get(workspaceId) === entry) cache.delete(workspaceId);
    });
    return entry.lookup;
  };
  const forWorkspace = async (workspaceId: string) => {
    const lookup = await lookupOf(workspaceId);
    return (message: IngestMessage) => options.check(lookup, message);
  };
  return Object.assign(
    async (workspaceId: string, message: IngestMessage) =>
      (await forWorkspace(workspaceId))(message),
    { forWorkspace },
  );
}
