import { describeNode, OUT, portLabelOf } from '@relance/flow';
import type { Queryable } from './queryable';

/** A journey step as its version's document holds it. */
export interface StoredStep {
  kind: string;
  /** The node's config in the document; null when the version no longer has the node. */
  config: unknown;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * Each step as the canvas words it ("Send 'Welcome'", "Wait 3 days", "If has placed an order"),
 * naming the templates and segments it mentions (archived ones too: a run may have reached them before), and the way a
 * step with several exits was left ("yes", "timed out", a path's name).
 */
export async function describeSteps(
  sql: Queryable,
  workspaceId: string,
  steps: readonly (StoredStep & { port?: string | null })[],
): Promise<{ step: string; way: string | null }[]> {
  const ids = [...new Set((JSON.stringify(steps).match(UUID) ?? []).map((id) => id.toLowerCase()))];
  const [rows, [workspace]] = await Promise.all([
    ids.length === 0
      ? []
      : sql<{ id: string; name: string }[]>`
          select id::text, name from email_templates
          where workspace_id = ${workspaceId} and id = any(${ids}::uuid[])
          union all
          select id::text, name from segments
          where workspace_id = ${workspaceId} and id = any(${ids}::uuid[])`,
    // The order event, so "did order.completed" reads "placed an order" as on the canvas.
    sql<{ conversionEvent: string }[]>`
      select conversion_event from workspaces where id = ${workspaceId}`,
  ]);
  const names = new Map(rows.map((row) => [row.id, row.name]));
  const context = {
    segmentName: (id: string) => names.get(id.toLowerCase()) ?? 'a deleted segment',
    templateName: (id: string) => names.get(id.toLowerCase()) ?? 'a deleted template',
    orderEvent: workspace?.conversionEvent,
  };
  return steps.map((s) => {
    const node = { kind: s.kind, config: s.config ?? {} };
    return {
      step: describeNode(node, context),
      way: s.port && s.port !== OUT ? portLabelOf(node, s.port, context) : null,
    };
  });
}
