import { eventsOf, segmentsOf, type Condition } from './condition';
import type { FlowDocument, FlowSettings } from './document';
import { parseDuration } from './duration';
import type { FlowProblem } from './issues';
import { isTriggerKind, OUT } from './kinds';
import type { FlowPlan, PlanNode, PlanSettings, PlanTrigger } from './plan';
import { nodeReferences, settingsReferences, watchesContact } from './references';
import { definitionOf } from './registry';
import { analyse } from './validate';

/** Thrown by `compile` for a document with problems; `errors` are those `validate` returns. */
export class FlowInvalidError extends Error {
  override readonly name = 'FlowInvalidError';
  constructor(readonly errors: readonly FlowProblem[]) {
    const first = errors[0]?.message ?? 'unknown problem';
    super(
      errors.length === 1
        ? `This flow has a problem: ${first}`
        : `This flow has ${errors.length} problems, starting with: ${first}`,
    );
  }
}

/** Freezes a plain JSON value and everything inside it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function ms(duration: string): number {
  return parseDuration(duration) ?? 0;
}

function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

function compileSettings(settings: FlowSettings): PlanSettings {
  const policy = settings.entryPolicy;
  return {
    entryPolicy:
      policy.kind === 'cooldown'
        ? { kind: 'cooldown', cooldownMs: ms(policy.duration) }
        : { kind: policy.kind },
    exitConditions: settings.exitConditions,
    goalWindowMs: ms(settings.goalWindow),
    quietHours: settings.quietHours
      ? { start: settings.quietHours.start, end: settings.quietHours.end }
      : null,
    frequencyCap: settings.frequencyCap
      ? { count: settings.frequencyCap.count, perMs: ms(settings.frequencyCap.per) }
      : null,
  };
}

// The conditions and events a run keeps watching while it waits.
function listensOf(document: FlowDocument): FlowPlan['listens'] {
  const watched: Condition[] = [...document.settings.exitConditions];
  const events: string[] = [];
  for (const node of document.nodes) {
    if (node.kind === 'wait.event') events.push(node.config.event);
    if (node.kind === 'wait.condition' || node.kind === 'logic.goal') {
      watched.push(node.config.condition);
    }
  }
  return {
    events: sorted([...events, ...watched.flatMap(eventsOf)]),
    segments: sorted(watched.flatMap(segmentsOf)),
    contact: watched.some(watchesContact),
  };
}

// Every condition in the document, wherever it sits.
function conditionsOf(document: FlowDocument): Condition[] {
  return [
    ...document.settings.exitConditions,
    ...document.nodes.flatMap((node): Condition[] => {
      if (node.kind === 'logic.switch') return node.config.cases.map((c) => c.condition);
      const hasCondition =
        node.kind === 'wait.condition' ||
        node.kind === 'logic.condition' ||
        node.kind === 'logic.goal';
      return hasCondition ? [node.config.condition] : [];
    }),
  ];
}

function referencesOf(document: FlowDocument): FlowPlan['references'] {
  const refs = [
    ...document.nodes.flatMap(nodeReferences),
    ...settingsReferences(document.settings),
  ];
  const of = (type: 'segment' | 'template' | 'event') =>
    refs.filter((r) => r.type === type).map((r) => r.id);
  return {
    segments: sorted(of('segment')),
    templates: sorted(of('template')),
    // eventsOf adds the email.* events behind email-engagement conditions.
    events: sorted([...of('event'), ...conditionsOf(document).flatMap(eventsOf)]),
  };
}

/**
 * Compiles a document into an immutable plan for the journey interpreter. Throws
 * `FlowInvalidError` carrying every problem when the document is not valid.
 */
export function compile(input: unknown): FlowPlan {
  const { problems, document, edges } = analyse(input);
  if (!document || problems.length > 0) throw new FlowInvalidError(problems);

  const targets = new Map(edges.map((e) => [`${e.from}\u0000${e.port}`, e.to]));
  const nodes: Record<string, PlanNode> = {};
  for (const node of document.nodes) {
    const definition = definitionOf(node.kind);
    const next: Record<string, string | null> = {};
    for (const port of definition.ports(node.config)) {
      next[port] = targets.get(`${node.id}\u0000${port}`) ?? null;
    }
    nodes[node.id] = {
      id: node.id,
      kind: node.kind,
      config: definition.compile(node.config),
      next,
    } as PlanNode;
  }

  // validate guarantees exactly one trigger whose `out` is connected.
  const trigger = Object.values(nodes).find((n): n is PlanTrigger => isTriggerKind(n.kind))!;
  const plan: FlowPlan = {
    v: 1,
    name: document.name,
    trigger,
    startNodeId: trigger.next[OUT]!,
    nodes,
    goals: document.nodes.filter((n) => n.kind === 'logic.goal').map((n) => n.id),
    settings: compileSettings(document.settings),
    listens: listensOf(document),
    references: referencesOf(document),
  };
  // A structured clone first: the plan must not share objects with the caller's document.
  return deepFreeze(structuredClone(plan));
}
