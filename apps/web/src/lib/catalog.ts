import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { api, call, isMissingRoute } from './api';

// The workspace's segments, templates, events and properties, for pickers and for validate()'s
// reference checks. Each list says when it could not be loaded, so pickers fall back to typing
// an id instead of pretending the list is empty.

export interface CatalogList<T> {
  items: T[];
  /** False while loading, when the route is missing from this build, or on error. */
  available: boolean;
  loading: boolean;
  error: Error | null;
}

export type SegmentOption = Awaited<ReturnType<typeof loadSegments>>[number];
export type TemplateOption = Awaited<ReturnType<typeof loadTemplates>>[number];
type Registry = Awaited<ReturnType<typeof loadRegistry>>;
export type PropertyOption = Registry['contact'][number];

const loadSegments = async () => (await call(api.api.segments.$get())).segments;
const loadTemplates = async () => (await call(api.api.templates.$get({ query: {} }))).templates;
const loadTemplatesWithArchived = async () =>
  (await call(api.api.templates.$get({ query: { archived: 'include' } }))).templates;
const loadRegistry = () => call(api.api.properties.$get());
const loadTags = async () => (await call(api.api.tags.$get())).tags;

export const catalogKeys = {
  segments: ['segments', 'options'] as const,
  templates: ['templates', 'options'] as const,
  // Under `templates`: saving or archiving a template refreshes both lists.
  templatesWithArchived: ['templates', 'options', 'with-archived'] as const,
  registry: ['known-properties'] as const,
  tags: ['known-tags'] as const,
};

const options = { staleTime: 30_000, retry: (n: number, e: Error) => !isMissingRoute(e) && n < 2 };

function listOf<T, R>(query: UseQueryResult<R>, pick: (data: R) => T[]): CatalogList<T> {
  const missing = query.isError && isMissingRoute(query.error);
  return {
    items: query.data === undefined ? [] : pick(query.data),
    available: query.isSuccess,
    loading: query.isPending,
    error: query.isError && !missing ? query.error : null,
  };
}

export function useSegments(): CatalogList<SegmentOption> {
  const query = useQuery({ queryKey: catalogKeys.segments, queryFn: loadSegments, ...options });
  return listOf(query, (d) => d);
}

export function useTemplates(): CatalogList<TemplateOption> {
  const query = useQuery({ queryKey: catalogKeys.templates, queryFn: loadTemplates, ...options });
  return listOf(query, (d) => d);
}

/**
 * Every template, the archived ones after the live ones (`archived: true`): a condition may count
 * the emails an archived template sent, and a sentence names it; a send step may not use it.
 */
export function useTemplatesWithArchived(): CatalogList<TemplateOption> {
  const query = useQuery({
    queryKey: catalogKeys.templatesWithArchived,
    queryFn: loadTemplatesWithArchived,
    ...options,
  });
  return listOf(query, (d) => d);
}

/** The whole registry: contact properties, events and their properties. */
export function useRegistry() {
  return useQuery({ queryKey: catalogKeys.registry, queryFn: loadRegistry, ...options });
}

/** Event names seen in the workspace. */
export function useKnownEvents(): CatalogList<string> {
  return listOf(useRegistry(), (d) => d.events.map((e) => e.name));
}

/** Contact properties, or the properties of `event` when filtering events. */
export function useKnownProperties(event?: string): CatalogList<PropertyOption> {
  return listOf(useRegistry(), (d) =>
    event ? (d.events.find((e) => e.name === event)?.properties ?? []) : d.contact,
  );
}

/** Tags the workspace has used, and the tags its score maintains, alphabetically. */
export function useKnownTags(): CatalogList<string> {
  const query = useQuery({ queryKey: catalogKeys.tags, queryFn: loadTags, ...options });
  return listOf(query, (d) => d);
}
