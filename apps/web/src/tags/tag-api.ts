import { api, call } from '../lib/api';

const tags = api.api.tags;

export type TagSummary = Awaited<ReturnType<typeof tagsApi.summary>>['tags'][number];
export type TagUses = TagSummary['uses'];

export const tagKeys = { summary: ['tags', 'summary'] as const };

/** One request's worth of a rename or deletion: how many contacts changed, and whether any is left. */
interface TagStep {
  changed: number;
  done: boolean;
}

/**
 * Repeats a rename or deletion (1,000 contacts a request) until no contact has the tag,
 * reporting the running total after each request.
 */
async function untilDone(step: () => Promise<TagStep>, onProgress: (changed: number) => void) {
  let changed = 0;
  for (;;) {
    const result = await step();
    changed += result.changed;
    onProgress(changed);
    if (result.done) return changed;
    // The server found a full batch yet changed none of it: asking again would not either.
    if (result.changed === 0) throw new Error('The tag could not be changed on its contacts.');
  }
}

export const tagsApi = {
  summary: () => call(tags.summary.$get()),
  rename: (tag: string, to: string, onProgress: (changed: number) => void) =>
    untilDone(() => call(tags.rename.$post({ json: { tag, to, cause: 'manual' } })), onProgress),
  remove: (tag: string, onProgress: (changed: number) => void) =>
    untilDone(() => call(tags.delete.$post({ json: { tag, cause: 'manual' } })), onProgress),
};

/** True when a segment, a journey or the score uses the tag. */
export const inUse = (uses: TagUses) =>
  uses.segments.length > 0 || uses.journeys.length > 0 || uses.minScore !== null;

/** "draft, version 3" */
export const versionsLabel = (versions: readonly (number | null)[]) =>
  versions.map((v) => (v === null ? 'draft' : `version ${v}`)).join(', ');
