// What changed between two versions of a flow (the publish dialog), and which waiting runs may
// move to the new version (nodes that kept their id and kind).

/** The parts of a document a diff looks at; drafts with invalid configs are fine. */
export interface DiffableDocument {
  name?: unknown;
  settings?: unknown;
  nodes: readonly { id: string; kind: string; config?: unknown }[];
  edges?: readonly { from: string; port?: string; to: string }[];
}

/** A node named in a diff. */
export interface NodeSummary {
  id: string;
  kind: string;
}

/** A node present in both versions whose kind or config differs. */
export interface NodeChange {
  id: string;
  kind: string;
  /** Set when the node changed kind (runs waiting there cannot move). */
  previousKind?: string;
  /** Top-level config fields that differ (`duration`, `templateId`). */
  fields: string[];
}

/** A connection as `from` → `to` through `port`. */
export interface EdgeSummary {
  from: string;
  port: string;
  to: string;
}

/** Differences from version `a` to version `b`. Canvas positions are ignored. */
export interface FlowDiff {
  added: NodeSummary[];
  removed: NodeSummary[];
  changed: NodeChange[];
  edgesAdded: EdgeSummary[];
  edgesRemoved: EdgeSummary[];
  nameChanged: boolean;
  settingsChanged: boolean;
  /** The journey settings that differ (`entryPolicy`, `quietHours`…), sorted. */
  settingsFields: string[];
  /** True when nothing at all differs. */
  same: boolean;
}

// JSON with sorted keys, so `{a, b}` and `{b, a}` compare equal.
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function changedFields(before: unknown, after: unknown): string[] {
  const a = (before ?? {}) as Record<string, unknown>;
  const b = (after ?? {}) as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((key) => canonical(a[key]) !== canonical(b[key]))
    .sort();
}

function edgeKey(edge: { from: string; port?: string; to: string }): string {
  return `${edge.from}\u0000${edge.port ?? 'out'}\u0000${edge.to}`;
}

/** Nodes added, removed and changed, and connections added and removed, from `a` to `b`. */
export function diffDocuments(a: DiffableDocument, b: DiffableDocument): FlowDiff {
  const before = new Map(a.nodes.map((n) => [n.id, n]));
  const after = new Map(b.nodes.map((n) => [n.id, n]));
  const added = b.nodes.filter((n) => !before.has(n.id)).map(({ id, kind }) => ({ id, kind }));
  const removed = a.nodes.filter((n) => !after.has(n.id)).map(({ id, kind }) => ({ id, kind }));
  const changed: NodeChange[] = [];
  for (const node of b.nodes) {
    const old = before.get(node.id);
    if (!old) continue;
    const fields = changedFields(old.config, node.config);
    if (old.kind !== node.kind) {
      changed.push({ id: node.id, kind: node.kind, previousKind: old.kind, fields });
    } else if (fields.length > 0) {
      changed.push({ id: node.id, kind: node.kind, fields });
    }
  }

  const edgesBefore = new Map((a.edges ?? []).map((e) => [edgeKey(e), e]));
  const edgesAfter = new Map((b.edges ?? []).map((e) => [edgeKey(e), e]));
  const summary = (e: { from: string; port?: string; to: string }): EdgeSummary => ({
    from: e.from,
    port: e.port ?? 'out',
    to: e.to,
  });
  const edgesAdded = [...edgesAfter]
    .filter(([k]) => !edgesBefore.has(k))
    .map(([, e]) => summary(e));
  const edgesRemoved = [...edgesBefore]
    .filter(([k]) => !edgesAfter.has(k))
    .map(([, e]) => summary(e));

  const nameChanged = canonical(a.name) !== canonical(b.name);
  const settingsChanged = canonical(a.settings ?? {}) !== canonical(b.settings ?? {});
  const settingsFields = settingsChanged ? changedFields(a.settings, b.settings) : [];
  return {
    added,
    removed,
    changed,
    edgesAdded,
    edgesRemoved,
    nameChanged,
    settingsChanged,
    settingsFields,
    same:
      added.length + removed.length + changed.length + edgesAdded.length + edgesRemoved.length ===
        0 &&
      !nameChanged &&
      !settingsChanged,
  };
}

/** Nodes of a document (array) or a plan (record by id). */
type NodesOf =
  | { nodes: readonly { id: string; kind: string }[] }
  | { nodes: Readonly<Record<string, { id: string; kind: string }>> };

function listNodes(version: NodesOf): { id: string; kind: string }[] {
  return Array.isArray(version.nodes)
    ? (version.nodes as { id: string; kind: string }[])
    : Object.values(version.nodes);
}

/**
 * For moving waiting runs to a new version: old node id → new node id for every node that
 * kept its id and kind. A run waiting at a node missing from the map stays on its version.
 */
export function mapNodeIds(from: NodesOf, to: NodesOf): Record<string, string> {
  const target = new Map(listNodes(to).map((n) => [n.id, n.kind]));
  const map: Record<string, string> = {};
  for (const node of listNodes(from)) {
    if (target.get(node.id) === node.kind) map[node.id] = node.id;
  }
  return map;
}
