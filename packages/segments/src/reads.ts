import { assertNever, type Condition } from '@relance/flow';

/** What a rule reads: which events, whether contact fields (properties, tags, score), which segments. */
export interface RuleReads {
  events: Set<string>;
  contact: boolean;
  segments: Set<string>;
}

/**
 * The facts a rule depends on, so that a contact whose only news is a batch of `email.opened`
 * events is re-checked against the segments that read `email.opened`, not all of them. (Time
 * passing is the tick's business.)
 */
export function readsOf(
  rule: Condition,
  into: RuleReads = { events: new Set(), contact: false, segments: new Set() },
): RuleReads {
  switch (rule.kind) {
    case 'all':
    case 'any':
      for (const c of rule.conditions) readsOf(c, into);
      return into;
    case 'not':
      return readsOf(rule.condition, into);
    case 'property':
    case 'tag':
    case 'score':
      into.contact = true;
      return into;
    case 'segment':
      into.segments.add(rule.segmentId.toLowerCase());
      return into;
    case 'event_count':
    case 'event_last':
    case 'event_aggregate':
      into.events.add(rule.event);
      return into;
    case 'email':
      into.events.add(`email.${rule.action}`);
      // A click counts as an open.
      if (rule.action === 'opened') into.events.add('email.clicked');
      return into;
    default:
      return assertNever(rule);
  }
}
