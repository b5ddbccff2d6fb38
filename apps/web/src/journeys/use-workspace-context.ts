import type { ValidateContext } from '@relance/flow';
import { useEffect, useMemo } from 'react';
import { useSegments, useTemplates } from '../lib/catalog';
import type { EditorStore } from './canvas/store';

/**
 * Segment and template names for the sentences on the canvas, and existence checks for
 * validate(), as soon as the lists load. A list the server does not offer yet is not checked.
 */
export function useWorkspaceContext(store: EditorStore): ValidateContext {
  const segments = useSegments();
  const templates = useTemplates();
  const context = useMemo<ValidateContext>(() => {
    const segmentNames = new Map(segments.items.map((s) => [s.id, s.name]));
    const templateNames = new Map(templates.items.map((t) => [t.id, t.name]));
    return {
      segmentName: (id) => segmentNames.get(id),
      templateName: (id) => templateNames.get(id),
      ...(segments.available ? { segmentExists: (id: string) => segmentNames.has(id) } : {}),
      ...(templates.available ? { templateExists: (id: string) => templateNames.has(id) } : {}),
    };
  }, [segments.items, segments.available, templates.items, templates.available]);
  useEffect(() => store.getState().setContext(context), [store, context]);
  return context;
}
