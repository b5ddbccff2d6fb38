// The closed list of node kinds, zod-free so that workflow code can switch over them.

/** Every node kind, grouped as on the canvas palette. */
export const NODE_KINDS = [
  'trigger.event',
  'trigger.segment_entered',
  'trigger.segment_exited',
  'trigger.date',
  'trigger.manual',
  'wait.delay',
  'wait.until',
  'wait.event',
  'wait.condition',
  'logic.condition',
  'logic.switch',
  'logic.split',
  'logic.goal',
  'logic.exit',
  'action.send_email',
  'action.segment',
  'action.tag',
  'action.set_property',
  'action.score',
  'action.webhook',
  'action.notify',
] as const;

/** A node kind: `group.name`. */
export type NodeKind = (typeof NODE_KINDS)[number];

/** Where a kind sits on the palette; also what the interpreter does with it. */
export type NodeGroup = 'trigger' | 'wait' | 'logic' | 'action';

/** Kinds that start a run. */
export type TriggerKind = Extract<NodeKind, `trigger.${string}`>;
/** Kinds that suspend a run until time passes or something happens. */
export type WaitKind = Extract<NodeKind, `wait.${string}`>;
/** Kinds that branch, jump or end without side effects. */
export type LogicKind = Extract<NodeKind, `logic.${string}`>;
/** Kinds with a side effect (run as idempotent activities). */
export type ActionKind = Extract<NodeKind, `action.${string}`>;

/** True for a known node kind. */
export function isNodeKind(kind: unknown): kind is NodeKind {
  return typeof kind === 'string' && (NODE_KINDS as readonly string[]).includes(kind);
}

/** The palette group of a kind. */
export function groupOf(kind: NodeKind): NodeGroup {
  return kind.slice(0, kind.indexOf('.')) as NodeGroup;
}

/** True for kinds that start a run. */
export function isTriggerKind(kind: NodeKind): kind is TriggerKind {
  return groupOf(kind) === 'trigger';
}

/** True for kinds that suspend a run. */
export function isWaitKind(kind: NodeKind): kind is WaitKind {
  return groupOf(kind) === 'wait';
}

/** True for kinds with a side effect. */
export function isActionKind(kind: NodeKind): kind is ActionKind {
  return groupOf(kind) === 'action';
}

/** The port most kinds continue through. */
export const OUT = 'out';
/** The port a switch takes when no case matches. */
export const ELSE = 'else';
