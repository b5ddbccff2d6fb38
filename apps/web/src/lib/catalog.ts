import { useQuery } from '@tanstack/react-query';
import { isMissingRoute, requestJson } from './api';

// The workspace's segments, templates, events and properties, for pickers and for validate()'s
// reference checks. Each list says when the server does not offer it yet, so pickers fall back
// to typing an id instead of pretending the list is empty.

export interface CatalogList<T> {
  items: T[];
  /** False while loading, when the route is missing from this build, or on error. */
  available: boolean;
  loading: boolean;
  error: Error | null;
}

export interface SegmentOption {
  id: string;
  name: string;
  kind: 'static' | 'dynamic';
}

export interface TemplateOption {
  id: string;
  name: string;
  topic: string | null;
}

export interface PropertyOption {
  name: string;
  type: 'string' | 'number' | 'boolean' | 'date' | 'array' | 'object';
}

function listOf<T>(key: readonly unknown[], path: string, pick: (body: unknown) => T[]) {
  return {
    queryKey: key,
    queryFn: async () => pick(await requestJson<unknown>('GET', path)),
    staleTime: 30_000,
    retry: (count: number, error: Error) => !isMissingRoute(error) && count < 2,
  };
}

function useList<T>(options: ReturnType<typeof listOf<T>>): CatalogList<T> {
  const query = useQuery(options);
  const missing = query.isError && isMissingRoute(query.error);
  return {
    items: query.data ?? [],
    available: query.isSuccess,
    loading: query.isPending,
    error: query.isError && !missing ? query.error : null,
  };
}

function arrayIn(body: unknown, key: string): unknown[] {
  const value = (body as Record<string, unknown> | null)?.[key];
  return Array.isArray(value) ? value : Array.isArray(body) ? body : [];
}

export function useSegments(): CatalogList<SegmentOption> {
  return useList(
    listOf(
      ['segments', 'options'],
      '/api/segments?limit=500',
      (body) => arrayIn(body, 'segments') as SegmentOption[],
    ),
  );
}

export function useTemplates(): CatalogList<TemplateOption> {
  return useList(
    listOf(
      ['templates', 'options'],
      '/api/templates',
      (body) => arrayIn(body, 'templates') as TemplateOption[],
    ),
  );
}

export function useKnownEvents(): CatalogList<string> {
  return useList(
    listOf(['known-events'], '/api/events/names', (body) =>
      arrayIn(body, 'events').map((e) =>
        typeof e === 'string' ? e : (e as { name: string }).name,
      ),
    ),
  );
}

export function useKnownProperties(event?: string): CatalogList<PropertyOption> {
  const path = event
    ? `/api/properties?scope=event&event=${encodeURIComponent(event)}`
    : '/api/properties?scope=contact';
  return useList(
    listOf(
      ['known-properties', event ?? ''],
      path,
      (body) => arrayIn(body, 'properties') as PropertyOption[],
    ),
  );
}
