import type { Condition } from '@relance/flow';
import { api, call, read } from '../lib/api';

const segments = api.api.segments;

export type Segment = Awaited<ReturnType<typeof segmentsApi.get>>;
export type SegmentSummary = Awaited<ReturnType<typeof segmentsApi.list>>['segments'][number];
export type SegmentPreview = Awaited<ReturnType<typeof segmentsApi.preview>>;
export type SegmentMember = Awaited<ReturnType<typeof segmentsApi.members>>['members'][number];
export type SegmentUses = Awaited<ReturnType<typeof segmentsApi.uses>>;
export type SegmentChange = Awaited<ReturnType<typeof segmentsApi.changes>>['changes'][number];

export const segmentKeys = {
  all: ['segments'] as const,
  one: (id: string) => ['segments', id] as const,
  members: (id: string) => ['segments', id, 'members'] as const,
  changes: (id: string) => ['segments', id, 'changes'] as const,
  reconciliation: ['segments', 'reconciliation'] as const,
  uses: (id: string) => ['segments', id, 'uses'] as const,
  history: (id: string) => ['segments', id, 'history'] as const,
  preview: (rule: unknown) => ['segments', 'preview', JSON.stringify(rule)] as const,
};

export const segmentsApi = {
  list: () => call(segments.$get()),
  get: (id: string) => call(segments[':id'].$get({ param: { id } })),
  create: (
    input:
      | { kind: 'static'; name: string; description?: string }
      | { kind: 'dynamic'; name: string; description?: string; rule: Condition },
  ) => call(segments.$post({ json: input })),
  update: (id: string, patch: { name?: string; description?: string; rule?: Condition }) =>
    call(segments[':id'].$patch({ param: { id }, json: patch })),
  /** The journeys and segments that would make a delete refused, with what to do about each. */
  uses: (id: string) => call(segments[':id'].uses.$get({ param: { id } })),
  remove: (id: string) => read<null>(segments[':id'].$delete({ param: { id } })),
  /** `signal` drops the request, and the server its statement, once a newer edit replaced it. */
  preview: (rule: Condition, signal?: AbortSignal) =>
    call(segments.preview.$post({ json: { rule } }, { init: { signal: signal ?? null } })),
  members: (id: string, after?: string) =>
    call(
      segments[':id'].members.$get({
        param: { id },
        query: after ? { after, limit: '50' } : { limit: '50' },
      }),
    ),
  /** Adds contacts to a static segment by hand; `added` counts those not already in it. */
  addMembers: (id: string, contactIds: string[]) =>
    call(segments[':id'].members.$post({ param: { id }, json: { contactIds, cause: 'manual' } })),
  /** Takes contacts out of a static segment by hand. */
  removeMembers: (id: string, contactIds: string[]) =>
    call(segments[':id'].members.$delete({ param: { id }, json: { contactIds, cause: 'manual' } })),
  /** The latest full reconciliation of segments and scores, and what it repaired. */
  lastReconciliation: async () =>
    (await call(segments.reconciliations.$get({ query: { limit: '1' } }))).reconciliations[0] ??
    null,
  /** Members at the end of each of the last 30 days (the workspace's calendar), today last. */
  history: (id: string) =>
    call(segments[':id'].history.$get({ param: { id }, query: { days: '30' } })),
  /** Entries and exits, newest first, 50 at a time. */
  changes: (id: string, before?: string) =>
    call(
      segments[':id'].changes.$get({
        param: { id },
        query: before ? { before, limit: '50' } : { limit: '50' },
      }),
    ),
  /** The members as a CSV file (an error answer becomes an ApiFailure). */
};
