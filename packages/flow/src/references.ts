// Every segment, template, topic and event a document mentions, with the field that mentions it,
// so `validate` can point at the exact input whose segment was deleted.

import { assertNever } from './assert-never';
import type { Condition, EventFilter } from './condition';
import type { FlowNode, FlowSettings } from './document';

/** One mention of an external id. `field` is relative to the node (or the document for settings). */
export interface Reference {
  type: 'segment' | 'template' | 'event' | 'topic';
  id: string;
  field: string;
  /** Set on a segment a step adds contacts to or removes them from: it must be static. */
  membership?: true;
  /**
   * Set on the template a Send email step sends: it must be live. A condition only reads a
   * template's opens and clicks, which go on after it is archived.
   */
  sends?: true;
}

/** The mentions inside a condition tree rooted at `field`. */
export function conditionReferences(condition: Condition, field: string): Reference[] {
  switch (condition.kind) {
    case 'all':
    case 'any':
      return condition.conditions.flatMap((c, i) =>
        conditionReferences(c, `${field}.conditions.${i}`),
      );
    case 'not':
      return conditionReferences(condition.condition, `${field}.condition`);
    case 'segment':
      return [{ type: 'segment', id: condition.segmentId, field: `${field}.segmentId` }];
    case 'email':
      return condition.templateId
        ? [{ type: 'template', id: condition.templateId, field: `${field}.templateId` }]
        : [];
    case 'event_count':
    case 'event_last':
    case 'event_aggregate':
      return [{ type: 'event', id: condition.event, field: `${field}.event` }];
    case 'property':
    case 'tag':
    case 'score':
      return [];
    default:
      return assertNever(condition);
  }
}

/** The mentions in one node's config. */
export function nodeReferences(node: FlowNode): Reference[] {
  switch (node.kind) {
    case 'trigger.event':
    case 'wait.event':
      return [{ type: 'event', id: node.config.event, field: 'config.event' }];
    case 'trigger.segment_entered':
    case 'trigger.segment_exited':
      return [{ type: 'segment', id: node.config.segmentId, field: 'config.segmentId' }];
    case 'wait.condition':
    case 'logic.condition':
    case 'logic.goal':
      return conditionReferences(node.config.condition, 'config.condition');
    case 'logic.switch':
      return node.config.cases.flatMap((c, i) =>
        conditionReferences(c.condition, `config.cases.${i}.condition`),
      );
    case 'action.send_email':
      return [
        { type: 'template', id: node.config.templateId, field: 'config.templateId', sends: true },
        ...(node.config.topic
          ? [{ type: 'topic' as const, id: node.config.topic, field: 'config.topic' }]
          : []),
      ];
    case 'action.segment':
      return [
        ...node.config.add.map((id, i) => ({
          type: 'segment' as const,
          id,
          field: `config.add.${i}`,
          membership: true as const,
        })),
        ...node.config.remove.map((id, i) => ({
          type: 'segment' as const,
          id,
          field: `config.remove.${i}`,
          membership: true as const,
        })),
      ];
    case 'trigger.date':
    case 'trigger.manual':
    case 'wait.delay':
    case 'wait.until':
    case 'logic.split':
    case 'logic.exit':
    case 'action.tag':
    case 'action.set_property':
    case 'action.score':
    case 'action.webhook':
    case 'action.notify':
      return [];
    default:
      return assertNever(node);
  }
}

/** The mentions in flow settings (exit conditions), with fields from the document root. */
export function settingsReferences(settings: FlowSettings): Reference[] {
  return settings.exitConditions.flatMap((c, i) =>
    conditionReferences(c, `settings.exitConditions.${i}`),
  );
}

/** True when a condition looks at the contact itself (properties, tags, score). */
export function watchesContact(condition: Condition | EventFilter): boolean {
  switch (condition.kind) {
    case 'all':
    case 'any':
      return condition.conditions.some(watchesContact);
    case 'not':
      return watchesContact(condition.condition);
    case 'property':
    case 'tag':
    case 'score':
      return true;
    case 'segment':
    case 'email':
    case 'event_count':
    case 'event_last':
    case 'event_aggregate':
      return false;
    default:
      return assertNever(condition);
  }
}
