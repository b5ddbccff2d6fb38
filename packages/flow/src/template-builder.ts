// A small helper for writing documents in code: nodes laid out on a grid, edges by port.

import {
  FlowDocument,
  type FlowDocumentInput,
  type FlowEdge,
  type FlowNodeInput,
} from './document';
import type { NodeKind } from './kinds';

const COLUMN = 320;
const ROW = 160;

type ConfigOf<K extends NodeKind> = Extract<FlowNodeInput, { kind: K }>['config'];

/** Collects nodes and edges, then parses them into a document (defaults filled in). */
export function createDocumentBuilder(name: string, settings: FlowDocumentInput['settings'] = {}) {
  const nodes: FlowNodeInput[] = [];
  const edges: FlowEdge[] = [];
  return {
    /** Adds a node at grid cell (column, row) and returns its id. */
    node<K extends NodeKind>(
      id: string,
      kind: K,
      config: ConfigOf<K>,
      column: number,
      row: number,
    ): string {
      nodes.push({
        id,
        kind,
        config,
        position: { x: column * COLUMN, y: row * ROW },
      } as FlowNodeInput);
      return id;
    },
    /** Connects `from`'s `port` to `to`. */
    edge(from: string, to: string, port = 'out'): void {
      edges.push({ from, port, to });
    },
    /** The finished, parsed document. */
    build(): FlowDocument {
      return FlowDocument.parse({ name, settings, nodes, edges });
    },
  };
}
