import { describeNode, type DescribeContext, type DiffableDocument } from '@relance/flow';

/**
 * Who enters a journey once its first version is published, by its trigger: a trigger on an
 * event or a segment takes only what happens from then on, never what happened before.
 */
export function whoEntersOnPublish(
  journey: string,
  nodes: DiffableDocument['nodes'],
  names: DescribeContext,
): string | null {
  const trigger = nodes.find((n) => n.kind.startsWith('trigger.'));
  if (!trigger) return null;
  const config = (trigger.config ?? {}) as Record<string, unknown>;
  const segment =
    typeof config.segmentId === 'string'
      ? (names.segmentName?.(config.segmentId) ?? 'the segment')
      : 'the segment';
  const step = `“${describeNode(trigger, names)}”`;
  switch (trigger.kind) {
    case 'trigger.event':
      return `Contacts enter ${journey} each time this happens from the moment it is published: ${step}. What they did before does not start it.`;
    case 'trigger.segment_entered':
      return `Contacts enter ${journey} as they enter ${segment} from the moment it is published, not those already in ${segment}: “Enrol contacts” in its live view takes them in.`;
    case 'trigger.segment_exited':
      return `Contacts enter ${journey} as they leave ${segment} from the moment it is published, not those who left it before.`;
    case 'trigger.date':
      return `Each contact enters ${journey} on their next date after it is published: ${step}.`;
    case 'trigger.manual':
      return `Nobody enters ${journey} by themselves: enrol contacts from its live view, or through the API.`;
    default:
      return null;
  }
}
