import { describe, expect, it } from 'vitest';
import { toJsonSchema } from './json-schema';
import { NODE_KINDS } from './kinds';
import {
  leadNurturingFlow,
  postPurchaseFlow,
  reactivationFlow,
  welcomeByInterestFlow,
} from './templates';

interface ObjectSchema {
  properties: Record<string, ObjectSchema & { const?: string }>;
  required?: string[];
  additionalProperties?: boolean;
  oneOf?: ObjectSchema[];
  items?: ObjectSchema;
  $defs?: Record<string, unknown>;
}

const schema = toJsonSchema() as unknown as ObjectSchema & { $schema: string; title: string };
const nodeSchemas = schema.properties.nodes!.items!.oneOf!;
const byKind = new Map(nodeSchemas.map((s) => [s.properties.kind!.const!, s]));

describe('toJsonSchema', () => {
  it('is plain JSON Schema 2020-12', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
    expect(schema.title).toBe('Relance flow document');
  });

  it('requires only what has no default', () => {
    expect(schema.required).toEqual(['name', 'nodes']);
  });

  it('names the shared definitions', () => {
    expect(Object.keys(schema.$defs ?? {}).sort()).toEqual([
      'Condition',
      'EventFilter',
      'FlowEdge',
      'FlowSettings',
    ]);
  });

  it('has one node schema per kind, in registry order', () => {
    expect([...byKind.keys()]).toEqual([...NODE_KINDS]);
  });

  it.each([
    ['action.send_email', ['templateId']],
    ['wait.delay', ['duration']],
    ['wait.event', ['event', 'timeout']],
    ['logic.split', ['branches']],
    ['action.webhook', ['url']],
    ['trigger.date', ['property']],
  ])('%s config requires %j and rejects unknown fields', (kind, required) => {
    const config = byKind.get(kind)!.properties.config!;
    expect(config.required).toEqual(required);
    expect(config.additionalProperties).toBe(false);
  });

  // Every field the templates write exists in the schema for its kind.
  it.each([
    postPurchaseFlow({ templates: { tips: 'a', crossSell: 'b', review: 'c' } }),
    reactivationFlow({
      segments: { inactive: 'a', reactivation: 'b', active: 'c', dormant: 'd' },
      templates: { winBack: 'e' },
    }),
    welcomeByInterestFlow({
      interests: [{ id: 'x', label: 'X', value: 'x', templates: ['a'] }],
      fallbackTemplates: ['b'],
      segments: { nurture: 'n' },
    }),
    leadNurturingFlow({ segments: { leads: 'l' }, templates: ['a'], salesEmail: 's@x.test' }),
  ])('describes every field of the $name template', (doc) => {
    for (const node of doc.nodes) {
      const config = byKind.get(node.kind)!.properties.config!;
      for (const key of Object.keys(node.config)) {
        expect(Object.keys(config.properties)).toContain(key);
      }
    }
  });
});
