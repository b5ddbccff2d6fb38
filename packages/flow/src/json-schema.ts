import { z } from 'zod';
import { FlowDocument } from './document';

/**
 * The flow document format as JSON Schema (draft 2020-12), for editors and "flows as code".
 * It describes what may be written (defaults optional); cross-field rules such as "percentages
 * sum to 100" and the graph checks are enforced by `validate` only.
 */
export function toJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(FlowDocument, { io: 'input', unrepresentable: 'any' });
  return {
    ...schema,
    title: 'Relance flow document',
    description:
      'A marketing-automation flow: one trigger, then waits, logic and actions connected by edges from node ports.',
  };
}
