import type { Sql, TransactionSql } from './sql';

export type PropertyType = 'string' | 'number' | 'boolean' | 'date' | 'array' | 'object';
export type PropertyScope = 'contact' | 'event';

export interface KnownProperty {
  scope: PropertyScope;
  /** The event name for event properties; '' for contact properties. */
  event: string;
  name: string;
  type: PropertyType;
  declared: boolean;
  description: string;
  firstSeenAt: Date;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;

/** The registry type of a JSON value; null for null (it says nothing about the type). */
export function typeOfValue(value: unknown): PropertyType | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string') return ISO_DATE.test(value) ? 'date' : 'string';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  // Anything else parsed from JSON is an object.
  return 'object';
}

export interface SeenFacts {
  events: Set<string>;
  /** key: `${scope}\u0000${event}\u0000${name}` → type */
  properties: Map<string, PropertyType>;
}

export function newSeenFacts(): SeenFacts {
  return { events: new Set(), properties: new Map() };
}

/** Notes the top-level properties of a payload (nested objects register as `object`). */
export function noteProperties(
  seen: SeenFacts,
  scope: PropertyScope,
  event: string,
  values: Record<string, unknown>,
) {
  for (const [name, value] of Object.entries(values)) {
    const type = typeOfValue(value);
    if (type === null) continue;
    const key = `${scope}\u0000${event}\u0000${name}`;
    if (!seen.properties.has(key)) seen.properties.set(key, type);
  }
}

// What each pool has already registered, so the hot ingestion path writes the registry only
// when something new shows up. Keyed by pool: test databases share workspace ids.
const registered = new WeakMap<object, Set<string>>();

/**
 * Records event names and properties never seen before (first type seen wins). Returns what to
 * call once the transaction committed, so this process stops re-writing them.
 */
export async function registerSeenFacts(
  tx: Sql | TransactionSql,
  pool: object,
  workspaceId: string,
  seen: SeenFacts,
): Promise<() => void> {
  let known = registered.get(pool);
  if (!known) registered.set(pool, (known = new Set()));
  if (known.size > 100_000) known.clear();
  const events = [...seen.events].filter((e) => !known.has(`${workspaceId}\u0001${e}`));
  const properties = [...seen.properties].filter(([k]) => !known.has(`${workspaceId}\u0001${k}`));
  if (events.length === 0 && properties.length === 0) return () => {};
  if (events.length > 0) {
    await tx`
      insert into known_events (workspace_id, name)
      select ${workspaceId}, unnest(${events.sort()}::text[])
      on conflict do nothing`;
  }
  if (properties.length > 0) {
    const rows = properties.map(([key, type]) => {
      const [scope, event, name] = key.split('\u0000');
      return { scope, event, name, type };
    });
    await tx`
      insert into known_properties (workspace_id, scope, event, name, type)
      select ${workspaceId}, x.scope, x.event, x.name, x.type
      from jsonb_to_recordset(${tx.json(rows)}::jsonb)
        as x(scope text, event text, name text, type text)
      order by 2, 3, 4
      on conflict do nothing`;
  }
  return () => {
    for (const e of events) known.add(`${workspaceId}\u0001${e}`);
    for (const [k] of properties) known.add(`${workspaceId}\u0001${k}`);
  };
}

/** The registry: contact properties, event names and each event's properties. */
export async function listKnownProperties(
  sql: Sql,
  workspaceId: string,
): Promise<{ events: { name: string; firstSeenAt: Date }[]; properties: KnownProperty[] }> {
  const [events, properties] = await Promise.all([
    sql<{ name: string; firstSeenAt: Date }[]>`
      select name, first_seen_at from known_events where workspace_id = ${workspaceId} order by name`,
    sql<KnownProperty[]>`
      select scope, event, name, type, declared, description, first_seen_at from known_properties
      where workspace_id = ${workspaceId} order by scope, event, name`,
  ]);
  return { events: [...events], properties: [...properties] };
}

/** Declares a property's type (and description) for the segment builder. */
export async function declareKnownProperty(
  sql: Sql,
  workspaceId: string,
  input: {
    scope: PropertyScope;
    event: string;
    name: string;
    type: PropertyType;
    description?: string;
  },
): Promise<KnownProperty> {
  const [row] = await sql<KnownProperty[]>`
    insert into known_properties (workspace_id, scope, event, name, type, declared, description)
    values (${workspaceId}, ${input.scope}, ${input.event}, ${input.name}, ${input.type}, true,
      ${input.description ?? ''})
    on conflict (workspace_id, scope, event, name) do update
      set type = excluded.type, declared = true,
        description = coalesce(${input.description ?? null}, known_properties.description)
    returning scope, event, name, type, declared, description, first_seen_at`;
  return row!;
}

/**
 * The workspace's tags for the pickers, alphabetical whatever the case: every tag a contact has had, and the tags
 * the score maintains (offered before any contact earns them). `truncated` when there were more
 * than `limit`.
 */
export async function listKnownTags(
  sql: Sql,
  workspaceId: string,
  limit: number,
): Promise<{ tags: string[]; truncated: boolean }> {
  const rows = await sql<{ tag: string }[]>`
    select tag from (
      select tag from known_tags where workspace_id = ${workspaceId}
      union
      select tag from score_tags where workspace_id = ${workspaceId}
    ) t
    order by lower(tag) collate "C", tag collate "C"
    limit ${limit + 1}`;
  return { tags: rows.slice(0, limit).map((r) => r.tag), truncated: rows.length > limit };
}
