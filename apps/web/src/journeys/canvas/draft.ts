import { isNodeKind, type NodeKind } from '@relance/flow';

// The canvas edits drafts: flow documents whose configs may be half filled in. They become
// FlowDocuments only through packages/flow's validate(), never by casting.

export interface XY {
  x: number;
  y: number;
}

export interface DraftNode {
  id: string;
  kind: NodeKind;
  position: XY;
  config: Record<string, unknown>;
}

export interface DraftEdge {
  from: string;
  port: string;
  to: string;
}

export interface Draft {
  name: string;
  settings: Record<string, unknown>;
  nodes: DraftNode[];
  edges: DraftEdge[];
}

/** At most one edge leaves a port, so `from:port` names an edge (and its React Flow id). */
export function edgeIdOf(edge: { from: string; port: string }): string {
  return `${edge.from}:${edge.port}`;
}

// Ids become part of workflow and idempotency keys, so they read as what the step is.
function stemOf(kind: NodeKind): string {
  const [group, name] = kind.split('.') as [string, string];
  if (group === 'trigger') return 'trigger';
  if (group === 'wait') return name === 'delay' ? 'wait' : `wait_${name}`;
  return name;
}

/**
 * A fresh id for a node of `kind` that none of `taken` uses: `send_email_3`. `taken` holds the
 * draft's ids and those of every published version (the editor's `usedIds`): an id freed in the
 * draft still names a step of a version, with its numbers and waiting contacts.
 */
export function newNodeId(kind: NodeKind, taken: ReadonlySet<string>): string {
  const stem = stemOf(kind);
  for (let n = 1; ; n++) {
    const id = `${stem}_${n}`;
    if (!taken.has(id)) return id;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Reads a stored document into a draft, dropping only what the canvas cannot draw (unknown
 * kinds, edges without ends); everything else, valid or not, is kept for the marketer to fix.
 */
export function draftFromDocument(document: unknown): Draft {
  const doc = isRecord(document) ? document : {};
  const nodes: DraftNode[] = (Array.isArray(doc.nodes) ? doc.nodes : []).flatMap((raw: unknown) => {
    if (!isRecord(raw) || typeof raw.id !== 'string' || !isNodeKind(raw.kind)) return [];
    const position = isRecord(raw.position) ? raw.position : {};
    return [
      {
        id: raw.id,
        kind: raw.kind,
        position: {
          x: typeof position.x === 'number' ? position.x : 0,
          y: typeof position.y === 'number' ? position.y : 0,
        },
        config: isRecord(raw.config) ? raw.config : {},
      },
    ];
  });
  const edges: DraftEdge[] = (Array.isArray(doc.edges) ? doc.edges : []).flatMap((raw: unknown) => {
    if (!isRecord(raw) || typeof raw.from !== 'string' || typeof raw.to !== 'string') return [];
    return [{ from: raw.from, port: typeof raw.port === 'string' ? raw.port : 'out', to: raw.to }];
  });
  return {
    name: typeof doc.name === 'string' ? doc.name : '',
    settings: isRecord(doc.settings) ? doc.settings : {},
    nodes,
    edges,
  };
}

/** True when the nodes have never been placed (documents written by hand or by code). */
export function needsLayout(nodes: readonly DraftNode[]): boolean {
  if (nodes.length < 2) return false;
  const seen = new Set(nodes.map((n) => `${Math.round(n.position.x)},${Math.round(n.position.y)}`));
  return seen.size < nodes.length;
}
