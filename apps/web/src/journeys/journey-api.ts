import { api, call, read } from '../lib/api';

// The journeys API (apps/api/src/routes/journeys.ts). Types come from the server's routes
// through the typed client, so a change there fails the web app's typecheck, not the marketer.

const journeys = api.api.journeys;

export type Journey = Awaited<ReturnType<typeof journeysApi.get>>;
export type JourneySummary = Awaited<ReturnType<typeof journeysApi.list>>['journeys'][number];
export type JourneyStatus = Journey['status'];
export type NodeStatsMap = Awaited<ReturnType<typeof journeysApi.stats>>['nodes'];
/** The journey's runs by status, every version (GET /api/journeys/:id/stats). */
export type RunCounts = Awaited<ReturnType<typeof journeysApi.stats>>['runs'];
/** What one send-email step's messages did (GET /api/journeys/:id/email-stats). */
export type EmailStats = Awaited<ReturnType<typeof journeysApi.emailStats>>['nodes'][string];
export type CarryOverPreview = Awaited<ReturnType<typeof journeysApi.carryOver>>;

/** A published version (the list's items; the single-version route adds the compiled plan). */
export type JourneyVersion = Awaited<ReturnType<typeof journeysApi.versions>>['versions'][number];
export type WaitingContact = Awaited<ReturnType<typeof journeysApi.waiting>>['contacts'][number];

/** A flow document as the canvas sends it (drafts may be incomplete). */
// A type, not an interface: the route's body type has an index signature.
export type DocumentBody = {
  name: string;
  settings?: Record<string, unknown>;
  nodes: unknown[];
  edges?: unknown[];
};

export const journeyKeys = {
  all: ['journeys'] as const,
  one: (id: string) => ['journeys', id] as const,
  versions: (id: string) => ['journeys', id, 'versions'] as const,
  version: (id: string, version: number) => ['journeys', id, 'versions', version] as const,
  stats: (id: string) => ['journeys', id, 'stats'] as const,
  emailStats: (id: string) => ['journeys', id, 'email-stats'] as const,
  orders: ['journeys', 'orders'] as const,
};

export const journeysApi = {
  list: () => call(journeys.$get()),
  /** Per journey, the orders its emails brought and their value (journeys without any left out). */
  orders: () => call(journeys.orders.$get()),
  get: (id: string) => call(journeys[':id'].$get({ param: { id } })),
  create: (document: DocumentBody) => call(journeys.$post({ json: document })),
  /**
   * Saves the draft, refused (412 `draft_changed`) if it was saved elsewhere after `basedOn`, the
   * `updatedAt` this editor last read or wrote.
   */
  save: (id: string, document: DocumentBody, basedOn?: string) =>
    call(
      journeys[':id'].$put({
        param: { id },
        header: basedOn ? { 'if-match': basedOn } : {},
        json: document,
      }),
    ),
  /** What publishing `draft` would do to the runs in flight (409 if the saved draft differs). */
  carryOver: async (id: string, draft: DocumentBody) => {
    const preview = await call(
      journeys[':id'].publish.$post({ param: { id }, json: { dryRun: true, draft } }),
    );
    if (!('dryRun' in preview)) throw new Error('The server published instead of previewing');
    return preview;
  },
  /** Publishes the saved draft, refused (409) unless it is still `draft`, the one reviewed. */
  publish: async (id: string, carryOver: 'keep' | 'move', draft: DocumentBody) => {
    const published = await call(
      journeys[':id'].publish.$post({ param: { id }, json: { carryOver, draft } }),
    );
    if ('dryRun' in published) throw new Error('The server previewed instead of publishing');
    return published;
  },
  /** A new draft with this journey's draft, named "Copy of …". */
  duplicate: (id: string) => call(journeys[':id'].duplicate.$post({ param: { id } })),
  /** Deletes a journey never published (409 for a published one). */
  remove: (id: string) => read<null>(journeys[':id'].$delete({ param: { id } })),
  pause: (id: string) => call(journeys[':id'].pause.$post({ param: { id } })),
  resume: (id: string) => call(journeys[':id'].resume.$post({ param: { id } })),
  /** Stops the journey for good and cancels its runs in progress. */
  stop: (id: string) => call(journeys[':id'].stop.$post({ param: { id } })),
  stats: (id: string) => call(journeys[':id'].stats.$get({ param: { id } })),
  /** Enrols up to 1,000 contacts by hand, under the journey's entry policy. */
  enrolContacts: (id: string, contactIds: string[]) =>
    call(journeys[':id'].enrol.contacts.$post({ param: { id }, json: { contactIds } })),
  emailStats: (id: string) => call(journeys[':id']['email-stats'].$get({ param: { id } })),
  versions: (id: string) => call(journeys[':id'].versions.$get({ param: { id } })),
  version: (id: string, version: number) =>
    call(journeys[':id'].versions[':version'].$get({ param: { id, version: String(version) } })),
  waiting: (id: string, nodeId: string) =>
    call(journeys[':id'].nodes[':nodeId'].waiting.$get({ param: { id, nodeId } })),
};
