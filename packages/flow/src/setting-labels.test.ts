import { describe, expect, it } from 'vitest';
import { toJsonSchema } from './json-schema';
import { NODE_KINDS } from './kinds';
import { settingLabelOf, STEP_SETTING_LABELS } from './setting-labels';

interface Schema {
  properties?: Record<string, Schema & { const?: string }>;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  items?: Schema;
}

// The settings each step kind's config schema accepts, read from the published JSON Schema so
// that a setting added to any schema, in any branch of a union, is seen here.
function keysOf(schema: Schema | undefined): string[] {
  if (!schema) return [];
  return [
    ...Object.keys(schema.properties ?? {}),
    ...[...(schema.oneOf ?? []), ...(schema.anyOf ?? []), ...(schema.allOf ?? [])].flatMap(keysOf),
  ];
}

const nodes = (toJsonSchema() as Schema).properties!.nodes!.items!.oneOf!;
const settingsByKind = new Map(
  nodes.map((node) => [node.properties!.kind!.const!, keysOf(node.properties!.config)]),
);

describe('STEP_SETTING_LABELS', () => {
  it.each(NODE_KINDS.map((kind) => [kind]))('names every setting of %s', (kind) => {
    const settings = settingsByKind.get(kind);
    expect(settings).toBeDefined();
    const labels: Record<string, string> = STEP_SETTING_LABELS[kind];
    const unnamed = settings!.filter((key) => !Object.hasOwn(labels, key));
    expect(unnamed).toEqual([]);
    expect(Object.keys(labels).sort()).toEqual([...new Set(settings)].sort());
  });

  it('names settings in words, and leaves an unknown one as it is', () => {
    expect(settingLabelOf('action.webhook', 'timeoutMs')).toBe('time limit');
    expect(settingLabelOf('trigger.event', 'entryKey')).toBe('property that tells entries apart');
    expect(settingLabelOf('wait.until', 'weekdays')).toBe('days of the week');
    expect(settingLabelOf('action.webhook', 'retries')).toBe('retries');
    expect(settingLabelOf('no.such_kind', 'toString')).toBe('toString');
  });
});
