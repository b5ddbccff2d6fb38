import type { ValidateContext } from '@relance/flow';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { useSegments, useTemplatesWithArchived } from '../lib/catalog';
import { useWorkspace } from '../lib/workspace';
import { templateKeys, templatesApi } from '../templates/template-api';
import type { EditorStore } from './canvas/store';

/**
 * Segment and template names and the order event ("places an order") for the sentences on the
 * canvas, and the checks of validate()
 * (segments and their kinds, templates, topics), as soon as the lists load. A list the server
 * does not offer yet is not checked.
 */
export function useWorkspaceContext(store: EditorStore): ValidateContext {
  const segments = useSegments();
  // Archived templates too: a condition may count their emails; only a send step refuses one.
  const templates = useTemplatesWithArchived();
  const topics = useQuery({ queryKey: templateKeys.topics, queryFn: templatesApi.topics });
  const orderEvent = useWorkspace().data?.conversionEvent;
  const context = useMemo<ValidateContext>(() => {
    const segmentNames = new Map(segments.items.map((s) => [s.id, s.name]));
    const segmentKinds = new Map(segments.items.map((s) => [s.id, s.kind]));
    const templateNames = new Map(templates.items.map((t) => [t.id, t.name]));
    const archived = new Set(templates.items.filter((t) => t.archived).map((t) => t.id));
    const topicKeys = topics.data && new Set(topics.data.topics.map((t) => t.key));
    return {
      segmentName: (id) => segmentNames.get(id),
      templateName: (id) => templateNames.get(id),
      orderEvent,
      ...(segments.available
        ? {
            segmentExists: (id: string) => segmentNames.has(id),
            segmentKind: (id: string) => segmentKinds.get(id),
          }
        : {}),
      ...(templates.available
        ? {
            templateExists: (id: string) => templateNames.has(id),
            archivedTemplateName: (id: string) =>
              archived.has(id) ? templateNames.get(id) : undefined,
          }
        : {}),
      ...(topicKeys ? { topicExists: (key: string) => topicKeys.has(key) } : {}),
    };
  }, [
    segments.items,
    segments.available,
    templates.items,
    templates.available,
    topics.data,
    orderEvent,
  ]);
  useEffect(() => store.getState().setContext(context), [store, context]);
  return context;
}
