import { api, authorisedFetch, call, read } from '../lib/api';

const contacts = api.api.contacts;

export type ContactPage = Awaited<ReturnType<typeof contactsApi.list>>;
export type ContactRow = ContactPage['contacts'][number];
export type ContactProfile = Awaited<ReturnType<typeof contactsApi.get>>;
export type TimelinePage = Awaited<ReturnType<typeof contactsApi.timeline>>;
export type ContactRuns = Awaited<ReturnType<typeof contactsApi.runs>>['runs'];
export type EmailPreferences = Awaited<ReturnType<typeof contactsApi.preferences>>;
export type PreferencesInput = Parameters<
  (typeof contacts)[':id']['preferences']['$put']
>[0]['json'];
export type ContactPatch = Parameters<(typeof contacts)[':id']['$patch']>[0]['json'];

export const contactKeys = {
  list: (q: string, within: ContactScope = {}) =>
    ['contacts', 'list', q, within.segmentId ?? '', within.tag ?? '', within.sort ?? ''] as const,
  one: (id: string) => ['contacts', id] as const,
  timeline: (id: string) => ['contacts', id, 'timeline'] as const,
  runs: (id: string) => ['contacts', id, 'runs'] as const,
  preferences: (id: string) => ['contacts', id, 'preferences'] as const,
};

/** A row the import refused or warned about: CSV line, column, reason. */
export interface ImportRejection {
  line: number;
  field: string;
  reason: string;
}

/** What an import reports (POST /api/contacts/import). */
export interface ImportReport {
  rows: number;
  created: number;
  updated: number;
  rejected: number;
  rejections: ImportRejection[];
  /** Rows imported without one or more of their values (a cell that could not be read). */
  rowsWithSkippedValues: number;
  /** How many warnings there were in all; `warnings` holds the first 1,000. */
  warned: number;
  warnings: ImportRejection[];
  columns: { header: string; target: string; type: string | null }[];
  segmentId: string | null;
}

/** Which contacts a list shows: one segment's, those with one tag, or both. */
export interface ContactScope {
  segmentId?: string;
  tag?: string;
  /** The list's order: newest first unless `score` (highest first). Not a filter. */
  sort?: 'newest' | 'score';
}

/** The search parameters of a list of contacts: text, segment, tag. */
const searchOf = (q: string, within: ContactScope) => ({
  ...(q.trim() ? { q: q.trim() } : {}),
  ...(within.segmentId ? { segmentId: within.segmentId } : {}),
  ...(within.tag ? { filter: JSON.stringify({ kind: 'tag', op: 'has', tag: within.tag }) } : {}),
});

export const contactsApi = {
  /** `signal` drops the request, and the server its statement, once the search changed. */
  /** `total: false` when nobody reads how many there are (a picker), to save counting them. */
  list: (
    q: string,
    cursor?: string,
    limit = 50,
    within: ContactScope = {},
    signal?: AbortSignal,
    { total = true }: { total?: boolean } = {},
  ) =>
    call(
      contacts.$get(
        {
          query: {
            ...searchOf(q, within),
            ...(within.sort === 'score' ? { sort: 'score' as const } : {}),
            ...(cursor ? { cursor } : {}),
            limit: String(limit),
            ...(total ? {} : { total: 'false' as const }),
          },
        },
        { init: { signal: signal ?? null } },
      ),
    ),
  /** Where the contacts a search shows download as CSV. */
  exportPath: (q: string, within: ContactScope = {}) =>
    `/api/contacts/export?${new URLSearchParams(searchOf(q, within)).toString()}`,
  get: (id: string) => call(contacts[':id'].$get({ param: { id } })),
  /** Adds and removes tags on up to 1,000 contacts, as a teammate's change. */
  changeTags: (contactIds: string[], change: { add?: string[]; remove?: string[] }) =>
    call(contacts.tags.$post({ json: { contactIds, ...change, cause: 'manual' } })),
  /** Edits tags and properties; answers with the updated profile. */
  update: (id: string, patch: ContactPatch) =>
    call(contacts[':id'].$patch({ param: { id }, json: patch })),
  timeline: (id: string, cursor?: string) =>
    call(contacts[':id'].timeline.$get({ param: { id }, query: cursor ? { cursor } : {} })),
  runs: (id: string) => call(contacts[':id'].runs.$get({ param: { id } })),
  preferences: (id: string) => call(contacts[':id'].preferences.$get({ param: { id } })),
  /** Changes topics, frequency or unsubscribe-from-all, recorded as a teammate's change. */
  savePreferences: (id: string, input: PreferencesInput) =>
    call(contacts[':id'].preferences.$put({ param: { id }, json: input })),
  /** Takes the contact out of a journey: its run is cancelled and records its end. */
  stopRun: (id: string, runId: string) =>
    call(contacts[':id'].runs[':runId'].stop.$post({ param: { id, runId } })),
  /** Merges `otherId` into `id` (the survivor); answers with the survivor's profile. */
  merge: (id: string, otherId: string) =>
    call(contacts[':id'].merge.$post({ param: { id }, json: { otherId } })),
  /** Deletes the person (and duplicates merged into them) and everything about them. */
  remove: (id: string) => call(contacts[':id'].$delete({ param: { id } })),
  /** Erases up to 200 people at once, each as `remove` does. */
  removeMany: (contactIds: string[]) => call(contacts.delete.$post({ json: { contactIds } })),
  /** Streams a CSV file with the column mapping as query parameters. */
  importCsv: (file: File, query: URLSearchParams) =>
    read<ImportReport>(
      authorisedFetch(`/api/contacts/import?${query.toString()}`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: file,
      }),
    ),
};
