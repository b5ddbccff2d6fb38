import {
  describeNode,
  settingLabelOf,
  type DescribeContext,
  type DiffableDocument,
} from '@relance/flow';

/**
 * Names what a problem of a journey is about from its field path, for an error notice:
 * `nodes.send_email_1.config.templateId` → "Send 'Welcome' — email template".
 */
export function flowFieldName(
  nodes: DiffableDocument['nodes'],
  names: DescribeContext = {},
): (field: string) => string | undefined {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  return (field) => {
    const [root, id, part, key] = field.split('.');
    if (root === 'settings') return 'Journey settings';
    if (root !== 'nodes' || id === undefined) return undefined;
    const node = byId.get(id);
    if (!node) return undefined;
    const step = describeNode(node, names);
    return part === 'config' && key ? `${step} — ${settingLabelOf(node.kind, key)}` : step;
  };
}
