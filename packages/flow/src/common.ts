import { z } from 'zod';
import type { NodeGroup, NodeKind } from './kinds';
import { eventWords } from './event-words';
import { liquidProblem } from './liquid';
import { WEEKDAYS } from './time';

/** A node's id: letters, digits, `_` and `-` (it becomes part of workflow and idempotency keys). */
export const NodeId = z
  .string({ error: requiredMessage('Every step needs an id') })
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'Step ids use letters, digits, _ and -, at most 64 characters');
export type NodeId = z.infer<typeof NodeId>;

/** A port name: `out`, `yes`, `no`, `event`, `timeout`, `met`, `else`, or a case/branch id. */
export const PortId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'Path names use letters, digits, _ and -, at most 64 characters');
export type PortId = z.infer<typeof PortId>;

/**
 * Flags paths (split branches, switch cases) that share a name: their ids are their ports, so
 * each must be unique, and none may take a name the node keeps for itself.
 */
export function checkPathNames(
  ctx: z.RefinementCtx,
  paths: readonly { id: string }[],
  where: { field: string; one: string; many: string; reserved?: { id: string; message: string } },
): void {
  const seen = new Set<string>();
  paths.forEach((path, index) => {
    if (path.id === where.reserved?.id) {
      ctx.addIssue({
        code: 'custom',
        path: [where.field, index, 'id'],
        message: where.reserved.message,
      });
    } else if (seen.has(path.id)) {
      ctx.addIssue({
        code: 'custom',
        path: [where.field, index, 'id'],
        message: `Two ${where.many} are called "${path.id}"; give each ${where.one} its own name`,
      });
    }
    seen.add(path.id);
  });
}

/** A local time of day, `HH:MM` on a 24-hour clock. */
export const TimeOfDay = z
  .string({ error: requiredMessage('Enter a time such as 09:00') })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Enter a time as HH:MM on a 24-hour clock, such as 09:00');
export type TimeOfDay = z.infer<typeof TimeOfDay>;

/** A day of the week: `mon` … `sun`. */
export const Weekday = z.enum(WEEKDAYS, { error: 'Days are mon, tue, wed, thu, fri, sat or sun' });
export type Weekday = z.infer<typeof Weekday>;

/** A segment id (existence is checked by `validate` through `ctx.segmentExists`). */
export const SegmentId = z
  .string({ error: requiredMessage('Choose a segment') })
  .trim()
  .min(1, 'Choose a segment');

/** Text that may contain Liquid (`{{ contact.first_name | default: "there" }}`). */
export function liquidText(required?: string) {
  const base = z.string(required ? { error: requiredMessage(required) } : undefined);
  return (required ? base.trim().min(1, required) : base).superRefine((text, ctx) => {
    const problem = liquidProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/** A zod error option that words a missing field and leaves other problems to the defaults. */
export function requiredMessage(message: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? message : undefined);
}

/** Names for ids, so sentences read "Move to Reactivation" instead of "Move to seg_42". */
export interface DescribeContext {
  /** The display name of a segment id, if known. */
  segmentName?: (id: string) => string | undefined;
  /** The display name of an email template id, if known. */
  templateName?: (id: string) => string | undefined;
  /** The workspace's order event (`order.completed`), which sentences call placing an order. */
  orderEvent?: string | undefined;
}

/**
 * Everything the language knows about one node kind. `C` is the parsed config, `P` what the
 * compiled plan stores for it. Methods (not arrow properties) so definitions of every kind fit
 * the type-erased `NodeDefinition` of the registry.
 */
export interface NodeDefinition<K extends NodeKind = NodeKind, C = unknown, P = unknown> {
  readonly kind: K;
  readonly group: NodeGroup;
  /** Palette name: "Send email". */
  readonly label: string;
  /** Config schema. */
  readonly schema: z.ZodType<C>;
  /** Config of a newly dropped node (may be incomplete, e.g. no template yet). */
  readonly defaults: Readonly<Record<string, unknown>>;
  /** Output ports; tolerates a half-filled config so the canvas can draw handles while editing. */
  ports(config: unknown): string[];
  /**
   * How a port reads in messages and on the canvas ("yes", "timed out", a case label, "clicked
   * an email"); `ctx` names the workspace's order event ("placed an order").
   */
  portLabel(port: string, config: unknown, ctx?: DescribeContext): string;
  /** The node as a sentence a marketer reads: "Wait 3 days". */
  describe(config: C, ctx: DescribeContext): string;
  /** The plan's form of the config: defaults resolved, durations in ms, absent values null. */
  compile(config: C): P;
}

const PORT_LABELS: Record<string, string> = {
  out: 'next',
  yes: 'yes',
  no: 'no',
  // Only while the step names no event yet: otherwise the event is named (see below).
  event: 'event happened',
  timeout: 'timed out',
  met: 'condition met',
  else: 'otherwise',
};

/**
 * The wording of the fixed ports. A wait's `event` port names the event its config waits for
 * as the canvas words it ("clicked an email", "placed an order", "trial.started happened").
 */
export function standardPortLabel(
  port: string,
  config?: unknown,
  ctx: DescribeContext = {},
): string {
  if (port === 'event') {
    const event = (config as { event?: unknown } | null | undefined)?.event;
    if (typeof event === 'string' && event.trim() !== '') {
      return eventWords(event, ctx)?.did ?? `${event} happened`;
    }
  }
  return PORT_LABELS[port] ?? port;
}

/** Builds a definition with the usual single `out` port unless told otherwise. */
export function defineNode<K extends NodeKind, C, P>(
  definition: Omit<NodeDefinition<K, C, P>, 'ports' | 'portLabel'> &
    Partial<Pick<NodeDefinition<K, C, P>, 'ports' | 'portLabel'>>,
): NodeDefinition<K, C, P> {
  return {
    ports: () => ['out'],
    portLabel: (port, config, ctx) => standardPortLabel(port, config, ctx),
    ...definition,
  };
}

/** Wraps a name in single quotes the way sentences show user-chosen names. */
export function quoted(text: string): string {
  return `'${text}'`;
}

/** Joins names as prose: "a", "a and b", "a, b and c". */
export function listOf(items: readonly string[], conjunction = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** The display name of a segment id. */
export function segmentName(ctx: DescribeContext, id: string): string {
  return ctx.segmentName?.(id) ?? id;
}

/** The display name of a template id. */
export function templateName(ctx: DescribeContext, id: string): string {
  return ctx.templateName?.(id) ?? id;
}

/** Reads the ids of an array of `{ id }` objects from a possibly half-filled config. */
export function idsIn(config: unknown, key: string): string[] {
  const list = (config as Record<string, unknown> | null | undefined)?.[key];
  if (!Array.isArray(list)) return [];
  return list
    .map((item: unknown) => (item as { id?: unknown } | null)?.id)
    .filter((id): id is string => typeof id === 'string' && id !== '');
}

/** The label of the `{ id, label? }` item with this id, or the id itself. */
export function itemLabel(config: unknown, key: string, id: string): string {
  const list = (config as Record<string, unknown> | null | undefined)?.[key];
  if (!Array.isArray(list)) return id;
  const item = list.find((i: unknown) => (i as { id?: unknown } | null)?.id === id) as
    { label?: unknown } | undefined;
  return typeof item?.label === 'string' && item.label.trim() !== '' ? item.label : id;
}
