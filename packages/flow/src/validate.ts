import { assertNever } from './assert-never';
import { type DescribeContext, NodeId } from './common';
import { entryProblems } from './entry-problems';
import { FlowDocument, FlowEdge, FlowNode, FlowSettings } from './document';
import { checkGraph, type GraphEdge, type GraphNode } from './graph';
import { type FlowProblem, plainMessage, problemsFromIssues } from './issues';
import { isNodeKind } from './kinds';
import { nodeReferences, type Reference, settingsReferences } from './references';
import { describeNode, portLabelOf, portsOf } from './registry';

/**
 * What the caller knows about the workspace. Every callback is optional and synchronous (load
 * the ids first); a check whose callback is missing is skipped.
 */
export interface ValidateContext extends DescribeContext {
  /** False when a segment id no longer exists. */
  segmentExists?: (id: string) => boolean;
  /** The kind of an existing segment: a step can add contacts to or remove them from a static one only. */
  segmentKind?: (id: string) => 'static' | 'dynamic' | undefined;
  /** False when an email template id no longer exists (deleted); an archived one still exists. */
  templateExists?: (id: string) => boolean;
  /** The name of an archived template: a Send email step refuses it, naming it; a condition reads it. */
  archivedTemplateName?: (id: string) => string | undefined;
  /** False when no subscription topic has this key (a step's topic decides who may get it). */
  topicExists?: (key: string) => boolean;
  /** False for an event name never seen in the workspace (catches typos such as `order.complete`). */
  eventKnown?: (name: string) => boolean;
}

/** The outcome of checking a document: its problems and, when there are none, the parsed document. */
export interface Analysis {
  problems: FlowProblem[];
  document: FlowDocument | null;
  /** The well-formed connections (used by `compile`). */
  edges: GraphEdge[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Every problem with a flow document, in plain words; an empty list means it compiles. */
export function validate(document: unknown, ctx: ValidateContext = {}): FlowProblem[] {
  return analyse(document, ctx).problems;
}

/** Validates and, when valid, returns the parsed document alongside (for `compile`). */
export function analyse(input: unknown, ctx: ValidateContext = {}): Analysis {
  if (!isRecord(input)) {
    return {
      problems: [{ message: 'A flow is a JSON object with a name, settings, nodes and edges' }],
      document: null,
      edges: [],
    };
  }
  const parsed = FlowDocument.safeParse(input, { error: plainMessage });
  const problems = parsed.success ? [] : problemsFromIssues(parsed.error.issues, input);

  const rawNodes = Array.isArray(input.nodes) ? (input.nodes as unknown[]) : [];
  const rawEdges = Array.isArray(input.edges) ? (input.edges as unknown[]) : [];
  const nodes: GraphNode[] = [];
  const parsedNodes: FlowNode[] = [];
  const seen = new Set<string>();
  rawNodes.forEach((raw) => {
    if (!isRecord(raw) || !NodeId.safeParse(raw.id).success || !isNodeKind(raw.kind)) return;
    const node = { id: raw.id as string, kind: raw.kind, config: raw.config };
    if (seen.has(node.id)) {
      problems.push({
        nodeId: node.id,
        message: `Two steps share the id "${node.id}"; give each step its own id`,
      });
      return;
    }
    seen.add(node.id);
    nodes.push({
      id: node.id,
      kind: node.kind,
      title: describeNode(node, ctx),
      ports: portsOf(node),
      portLabel: (port) => portLabelOf(node, port),
    });
    // Unusable configs were reported by the document parse; references need a parsed one.
    const one = parsed.success ? null : FlowNode.safeParse(raw);
    if (one?.success) parsedNodes.push(one.data);
  });
  if (parsed.success) parsedNodes.push(...parsed.data.nodes);

  const edges = rawEdges.flatMap((raw, index) => {
    const edge = FlowEdge.safeParse(raw);
    return edge.success ? [{ index, ...edge.data }] : [];
  });
  const graph = checkGraph(nodes, edges);
  problems.push(...graph.problems);

  const settings = parsed.success
    ? parsed.data.settings
    : FlowSettings.safeParse(input.settings ?? {}).data;
  problems.push(...referenceProblems(parsedNodes, settings, ctx));
  problems.push(...entryProblems(parsedNodes, settings));

  const unique = dedupe(problems);
  return {
    problems: unique,
    document: unique.length === 0 && parsed.success ? parsed.data : null,
    edges: graph.edges,
  };
}

function referenceProblems(
  nodes: readonly FlowNode[],
  settings: FlowSettings | undefined,
  ctx: ValidateContext,
): FlowProblem[] {
  const missing = (ref: Reference): string | null => {
    switch (ref.type) {
      case 'segment':
        return segmentProblem(ref, ctx);
      case 'template':
        return templateProblem(ref, ctx);
      case 'topic':
        return ctx.topicExists && !ctx.topicExists(ref.id)
          ? `There is no topic "${ref.id}" (it may have been deleted); choose one of your topics, or no topic`
          : null;
      case 'event':
        return ctx.eventKnown && !ctx.eventKnown(ref.id)
          ? `No event called "${ref.id}" has been received yet; check the spelling`
          : null;
      default:
        return assertNever(ref.type);
    }
  };
  const problems: FlowProblem[] = [];
  for (const node of nodes) {
    for (const ref of nodeReferences(node)) {
      const message = missing(ref);
      if (message) problems.push({ nodeId: node.id, field: ref.field, message });
    }
  }
  for (const ref of settings ? settingsReferences(settings) : []) {
    const message = missing(ref);
    if (message) problems.push({ field: ref.field, message });
  }
  return problems;
}

function templateProblem(ref: Reference, ctx: ValidateContext): string | null {
  // Only a send needs a live template; an archived one's emails are still opened and clicked.
  const archived = ref.sends ? ctx.archivedTemplateName?.(ref.id) : undefined;
  // Ids mean nothing to a marketer: an archived template has a name to show, a deleted one not.
  if (archived !== undefined) return `The email template "${archived}" is archived; choose another`;
  return ctx.templateExists && !ctx.templateExists(ref.id)
    ? 'The email template chosen here was deleted; choose another'
    : null;
}

function segmentProblem(ref: Reference, ctx: ValidateContext): string | null {
  if (ctx.segmentExists && !ctx.segmentExists(ref.id)) {
    return 'The segment chosen here was deleted; choose another';
  }
  if (ref.membership && ctx.segmentKind?.(ref.id) === 'dynamic') {
    const name = ctx.segmentName?.(ref.id);
    const segment = name === undefined ? 'This segment' : `The segment "${name}"`;
    return `${segment} is dynamic: its rule decides who is in it, so a step cannot add or remove contacts; choose a static segment`;
  }
  return null;
}

function dedupe(problems: readonly FlowProblem[]): FlowProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.nodeId ?? ''}\u0000${p.field ?? ''}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
