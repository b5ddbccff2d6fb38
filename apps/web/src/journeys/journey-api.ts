import { requestJson } from '../lib/api';
import type { FlowProblem } from '@relance/flow';

// The journeys API (docs/journeys-api.md) as the web app reads it.

export type JourneyStatus = 'draft' | 'active' | 'paused';

export interface Journey {
  id: string;
  name: string;
  /** The document as last saved; may be incomplete until published. */
  draft: Record<string, unknown>;
  status: JourneyStatus;
  liveVersionId: string | null;
  liveVersion: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface JourneySummary extends Omit<Journey, 'draft'> {
  inFlight?: number;
  conversions?: number;
}

export interface JourneyVersion {
  id: string;
  version: number;
  document: Record<string, unknown>;
  publishedAt: string;
}

export interface NodeStatsMap {
  [nodeId: string]: { entered: number; waiting: number; completed: number; failed: number };
}

export interface CarryOverPreview {
  inFlight: number;
  movable: number;
  byNode: Record<string, { waiting: number; movable: number }>;
}

export interface WaitingContact {
  contactId: string;
  email: string | null;
  externalId: string | null;
  since: string;
}

export const journeyKeys = {
  all: ['journeys'] as const,
  one: (id: string) => ['journeys', id] as const,
  versions: (id: string) => ['journeys', id, 'versions'] as const,
  version: (id: string, version: number) => ['journeys', id, 'versions', version] as const,
  waiting: (id: string, nodeId: string) =>
    requestJson<{ contacts: WaitingContact[] }>(
      'GET',
      `/api/journeys/${id}/nodes/${encodeURIComponent(nodeId)}/waiting`,
    ),
  stats: (id: string) => ['journeys', id, 'stats'] as const,
};

export const journeysApi = {
  list: () => requestJson<{ journeys: JourneySummary[] }>('GET', '/api/journeys'),
  get: (id: string) => requestJson<Journey>('GET', `/api/journeys/${id}`),
  create: (document: unknown) => requestJson<{ id: string }>('POST', '/api/journeys', document),
  save: (id: string, document: unknown) =>
    requestJson<Journey>('PUT', `/api/journeys/${id}`, document),
  validate: (id: string) =>
    requestJson<{ errors: FlowProblem[] }>('POST', `/api/journeys/${id}/validate`),
  publish: (id: string, carryOver: 'keep' | 'move') =>
    requestJson<{ versionId: string; version: number }>('POST', `/api/journeys/${id}/publish`, {
      carryOver,
    }),
  carryOver: (id: string) =>
    requestJson<CarryOverPreview>('POST', `/api/journeys/${id}/publish/preview`),
  pause: (id: string) => requestJson<Journey>('POST', `/api/journeys/${id}/pause`),
  resume: (id: string) => requestJson<Journey>('POST', `/api/journeys/${id}/resume`),
  versions: (id: string) =>
    requestJson<{ versions: JourneyVersion[] }>('GET', `/api/journeys/${id}/versions`),
  version: (id: string, version: number) =>
    requestJson<JourneyVersion>('GET', `/api/journeys/${id}/versions/${version}`),
  waiting: (id: string, nodeId: string) =>
    requestJson<{ contacts: WaitingContact[] }>(
      'GET',
      `/api/journeys/${id}/nodes/${encodeURIComponent(nodeId)}/waiting`,
    ),
  stats: (id: string) => requestJson<{ nodes: NodeStatsMap }>('GET', `/api/journeys/${id}/stats`),
};
