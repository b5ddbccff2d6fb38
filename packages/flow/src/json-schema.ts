import { z } from 'zod';
import { Condition, EventFilter } from './condition';
import { FlowDocument, FlowEdge, FlowSettings } from './document';
import { NODE_KINDS } from './kinds';
import { nodeRegistry } from './registry';

// Names and descriptions for the exported schema only; the shared zod schemas stay untouched.
function metadata() {
  const registry = z.registry<{ id?: string; title?: string; description?: string }>();
  registry.add(Condition, {
    id: 'Condition',
    description: 'Nested all/any/not over contact properties, tags, score, segments and history',
  });
  registry.add(EventFilter, {
    id: 'EventFilter',
    description: 'Nested all/any/not over event properties',
  });
  registry.add(FlowEdge, {
    id: 'FlowEdge',
    description: 'A connection from a port of one node to the next node; one per port',
  });
  registry.add(FlowSettings, { id: 'FlowSettings', description: 'Flow-wide settings' });
  for (const kind of NODE_KINDS) {
    const definition = nodeRegistry[kind];
    registry.add(definition.schema, {
      title: `${kind} config`,
      description: definition.label,
    });
  }
  return registry;
}

/**
 * The flow document format as JSON Schema (draft 2020-12), for editors and "flows as code".
 * It describes what may be written (defaults optional); cross-field rules such as "percentages
 * sum to 100" and the graph checks are enforced by `validate` only.
 */
export function toJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(FlowDocument, {
    io: 'input',
    unrepresentable: 'any',
    metadata: metadata(),
  });
  return {
    ...schema,
    title: 'Relance flow document',
    description:
      'A marketing-automation flow: one trigger, then waits, logic and actions connected by edges from node ports.',
  };
}
