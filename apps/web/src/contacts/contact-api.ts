import { api, authorisedFetch, call, read } from '../lib/api';

const contacts = api.api.contacts;

export type ContactPage = Awaited<ReturnType<typeof contactsApi.list>>;
export type ContactRow = ContactPage['contacts'][number];
export type ContactProfile = Awaited<ReturnType<typeof contactsApi.get>>;
export type TimelinePage = Awaited<ReturnType<typeof contactsApi.timeline>>;
export type TimelineEntry = TimelinePage extends { entries: (infer E)[] } ? E : never;
export type ContactRuns = Awaited<ReturnType<typeof contactsApi.runs>>['runs'];

export const contactKeys = {
  list: (q: string) => ['contacts', 'list', q] as const,
  one: (id: string) => ['contacts', id] as const,
  timeline: (id: string) => ['contacts', id, 'timeline'] as const,
  runs: (id: string) => ['contacts', id, 'runs'] as const,
};

/** What an import reports: rows created, updated and rejected with the reason. */
export interface ImportReport {
  created: number;
  updated: number;
  rejected: { row: number; reason: string }[];
  [key: string]: unknown;
}

export const contactsApi = {
  list: (q: string, cursor?: string, limit = 50) =>
    call(
      contacts.$get({
        query: {
          ...(q.trim() ? { q: q.trim() } : {}),
          ...(cursor ? { cursor } : {}),
          limit: String(limit),
        },
      }),
    ),
  get: (id: string) => call(contacts[':id'].$get({ param: { id } })),
  timeline: (id: string, cursor?: string) =>
    call(contacts[':id'].timeline.$get({ param: { id }, query: cursor ? { cursor } : {} })),
  runs: (id: string) => call(contacts[':id'].runs.$get({ param: { id } })),
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
