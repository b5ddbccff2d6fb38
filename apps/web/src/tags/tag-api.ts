import { api, call } from '../lib/api';

const tags = api.api.tags;

export type TagSummary = Awaited<ReturnType<typeof tagsApi.summary>>['tags'][number];
export type TagUses = TagSummary['uses'];

export type TagChange = Awaited<ReturnType<typeof tagsApi.changes>>['changes'][number];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Has the worker rename or delete the tag across the workspace, then follows the change,
 * reporting how many contacts it has changed, until it is done (the total) or failed (thrown
 * with the reason). Closing the page stops the following, not the change.
 */
async function runChange(
  start: () => Promise<{ change: { id: string } }>,
  onProgress: (changed: number) => void,
): Promise<number> {
  const { change } = await start();
  for (;;) {
    const { change: now } = await call(tags.changes[':id'].$get({ param: { id: change.id } }));
    onProgress(now.changed);
    if (now.status === 'done') return now.changed;
    if (now.status === 'failed') throw new Error(now.error ?? 'The change stopped.');
    await sleep(500);
  }
}

export const tagKeys = {
  summary: ['tags', 'summary'] as const,
  changes: ['tags', 'changes'] as const,
};

export const tagsApi = {
  summary: () => call(tags.summary.$get()),
  changes: () => call(tags.changes.$get()),
  rename: (tag: string, to: string, onProgress: (changed: number) => void) =>
    runChange(() => call(tags.changes.$post({ json: { tag, to, cause: 'manual' } })), onProgress),
  remove: (tag: string, onProgress: (changed: number) => void) =>
    runChange(
      () => call(tags.changes.$post({ json: { tag, to: null, cause: 'manual' } })),
      onProgress,
    ),
};

/** True when a segment, a journey or the score uses the tag. */
export const inUse = (uses: TagUses) =>
  uses.segments.length > 0 || uses.journeys.length > 0 || uses.minScore !== null;

/** "draft, version 3" */
export const versionsLabel = (versions: readonly (number | null)[]) =>
  versions.map((v) => (v === null ? 'draft' : `version ${v}`)).join(', ');
