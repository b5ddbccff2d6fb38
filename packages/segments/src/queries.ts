import type { Condition } from '@relance/flow';
import { compileFacts, compilePredicate } from './compile';
import { SqlParams, type CompiledQuery } from './params';
import { GroupedAggregates, shifter, type RuleScope } from './scope';

/** Placeholders (already in `params`) a statement built around a rule provides. */
export interface RuleContext {
  params: SqlParams;
  /** SQL for the workspace id (uuid). */
  workspace: string;
  /** SQL for the evaluation instant (timestamptz); may be a getter adding it on first use. */
  readonly now: string;
  /** The evaluation instant itself, for window edges computed once. */
  at: Date;
  /** SQL for a uuid[] restricting the contacts looked at; absent: the whole base. */
  contactIds?: string | undefined;
  /** For a journey run's condition: the events after its entry (see RuleScope.sinceEntry). */
  sinceEntry?: (() => string) | undefined;
}

const CONTACTS = 'contacts c join workspaces w on w.id = c.workspace_id';

/** A rule's scope over `contacts c`; `zoned` tells whether the rule read the time zone. */
function scopeOf(
  ctx: RuleContext,
  grouped?: GroupedAggregates,
): RuleScope & { readonly zoned: boolean } {
  let zoned = false;
  return {
    shift: shifter(ctx.params, ctx.at),
    probe: ctx.contactIds !== undefined,
    grouped,
    sinceEntry: ctx.sinceEntry,
    params: ctx.params,
    contact: 'c',
    workspace: ctx.workspace,
    // The workspace's zone is the fallback: joined only for rules that read a time zone.
    get timezone() {
      zoned = true;
      return 'coalesce(c.timezone, w.timezone)';
    },
    // Read lazily: a rule that never looks at the time must not leave an untyped parameter.
    get now() {
      return ctx.now;
    },
    get zoned() {
      return zoned;
    },
  };
}

/**
 * `select c.id from contacts c … where <rule>`: the members a rule gives, as one statement. Over
 * the whole base, event aggregates and counts come from grouped joins: one pass over the events
 * for each instead of a subquery per contact. `columns` are other columns of `c` to select.
 */
export function compileMembersSelect(
  rule: Condition,
  ctx: RuleContext,
  columns: readonly string[] = [],
): string {
  const only = ctx.contactIds ? ` and c.id = any(${ctx.contactIds})` : '';
  const grouped = ctx.contactIds ? undefined : new GroupedAggregates();
  const scope = scopeOf(ctx, grouped);
  const predicate = compilePredicate(rule, scope);
  const selected = ['id', ...columns].map((column) => `c.${column}`).join(', ');
  return `select ${selected} from ${scope.zoned ? CONTACTS : 'contacts c'}${grouped?.sql('c') ?? ''} where c.workspace_id = ${ctx.workspace} and c.merged_into is null${only} and ${predicate}`;
}

/** A rule to re-check; `segment` is SQL for its segment's id (a uuid placeholder). */
export interface VerdictItem {
  segment: string;
  rule: Condition;
}

/**
 * Which rules each contact is re-checked against: SQL for `contacts` (uuid[], distinct), `items`
 * (int[], 1-based indexes into the rules, grouped by contact) and `first`/`last` (int[], the
 * bounds of each contact's group in `items`).
 */
export interface VerdictPairs {
  contacts: string;
  items: string;
  first: string;
  last: string;
}

/**
 * Several rules re-checked for some contacts in one pass: rows `(segment_id, contact_id,
 * member)`, one per contact and rule of its group. Each contact is looked up once and each row
 * evaluates its own rule only; a contact that is missing, merged away or of another workspace
 * is no member. Contacts are looked up by id alone, one probe each: the LIMIT keeps the planner
 * from hashing a scan of the workspace instead, and with no workspace test in the probe it
 * cannot walk a (workspace, …) index either. Either looks cheap to statistics taken when the
 * workspace was young; at 10,000 contacts the hash cost 10–30 ms and the walk 2.7 s, against
 * 2 ms for 1,000 probes.
 */
export function compileVerdictsSelect(
  items: readonly VerdictItem[],
  pairs: VerdictPairs,
  ctx: Omit<RuleContext, 'contactIds'>,
): string {
  const scope = scopeOf({ ...ctx, contactIds: pairs.contacts });
  const cases = items
    .map((item, i) => `when ${i + 1} then ${compilePredicate(item.rule, scope)}`)
    .join('\n    ');
  const segments = `array[${items.map((item) => item.segment).join(', ')}]`;
  return `select (${segments})[i.item] as segment_id, t.id as contact_id,
  coalesce(c.id is not null and case i.item
    ${cases}
  end, false) as member
from unnest(${pairs.contacts}, ${pairs.first}, ${pairs.last}) as t(id, first, last)
left join lateral (select * from contacts k where k.id = t.id limit 1) c
  on c.workspace_id = ${ctx.workspace} and c.merged_into is null${scope.zoned ? `\nleft join workspaces w on w.id = c.workspace_id` : ''}
cross join lateral unnest((${pairs.items})[t.first:t.last]) as i(item)`;
}

export interface RuleQueryOptions {
  workspaceId: string;
  now: Date;
  contactIds?: readonly string[];
}

/**
 * The events after a run's entry: those after its watermark (the trigger event, or the
 * contact's last event when it began; by id, the order they arrived in, as a wait for an event
 * reads them). A run begun before watermarks were kept (0094) falls back to its trigger event,
 * else to the events received after it started. Both lookups are uncorrelated: read once.
 */
function eventsSinceEntry(params: SqlParams, runId: string): () => string {
  let sql: string | undefined;
  return () => {
    if (sql === undefined) {
      const run = params.uuid(runId);
      const mark = `(select coalesce(jr.watermark, (jr.entry ->> 'eventId')::bigint) from journey_runs jr where jr.id = ${run})`;
      const started = `(select jr.started_at from journey_runs jr where jr.id = ${run})`;
      sql = `(e.id > ${mark} or (${mark} is null and e.received_at > ${started}))`;
    }
    return sql;
  };
}

function contextFor(options: RuleQueryOptions & { runId?: string | undefined }): RuleContext {
  const params = new SqlParams();
  const workspace = params.uuid(options.workspaceId);
  const contactIds = options.contactIds ? params.uuids(options.contactIds) : undefined;
  let now: string | undefined;
  return {
    params,
    workspace,
    contactIds,
    sinceEntry: options.runId === undefined ? undefined : eventsSinceEntry(params, options.runId),
    at: options.now,
    // PostgreSQL must type every parameter, so the instant is added only once a rule uses it.
    get now() {
      return (now ??= params.timestamp(options.now));
    },
  };
}

/** The ids of the contacts matching a rule (column `id`). */
export function compileMembersQuery(rule: Condition, options: RuleQueryOptions): CompiledQuery {
  const ctx = contextFor(options);
  return { text: compileMembersSelect(rule, ctx), values: ctx.params.values };
}

/** How many contacts match (column `count`). */
export function compileCountQuery(rule: Condition, options: RuleQueryOptions): CompiledQuery {
  const ctx = contextFor(options);
  return {
    text: `select count(*)::int as count from (${compileMembersSelect(rule, ctx)}) m`,
    values: ctx.params.values,
  };
}

/** One of the newest contacts a preview samples (`createdAt` as JSON gives it: ISO text). */
export interface PreviewContact {
  id: string;
  email: string | null;
  externalId: string | null;
  properties: Record<string, unknown>;
  tags: string[];
  score: number;
  createdAt: string;
}

/**
 * What the segment builder shows while a marketer edits: count, size of the base and a sample
 * of the newest matching contacts (columns `count`, `total`, `sample` as JSON), in one query.
 * The members carry their creation time, so the sample is the newest few of them, looked up by
 * key: joining every member back to its contact row first cost 1.5–3 s at a million contacts.
 */
export function compilePreviewQuery(
  rule: Condition,
  options: RuleQueryOptions & { sampleSize?: number },
): CompiledQuery {
  const ctx = contextFor(options);
  const limit = ctx.params.integer(options.sampleSize ?? 20);
  const text = `with m as (${compileMembersSelect(rule, ctx, ['created_at'])})
select (select count(*) from m)::int as count,
  (select count(*) from contacts t where t.workspace_id = ${ctx.workspace} and t.merged_into is null)::int as total,
  coalesce((select json_agg(json_build_object('id', t.id, 'email', t.email,
      'externalId', t.external_id, 'properties', t.properties, 'tags', t.tags, 'score', t.score,
      'createdAt', t.created_at) order by n.created_at desc, n.id)
    from (select m.id, m.created_at from m order by m.created_at desc, m.id limit ${limit}) n
    join contacts t on t.id = n.id
  ), '[]'::json) as sample`;
  return { text, values: ctx.params.values };
}

/**
 * A condition for one contact (a flow's if/else, a wait's check): `matched` and `values`, the
 * value each leaf looked at keyed by its path in the condition. A merged contact's id resolves
 * to the contact it was merged into.
 */
export function compileEvaluateQuery(
  condition: Condition,
  options: {
    workspaceId: string;
    contactId: string;
    now: Date;
    /** The journey run asking, for conditions counting "since they entered the journey". */
    runId?: string | undefined;
  },
): CompiledQuery {
  const ctx = contextFor(options);
  const contact = ctx.params.uuid(options.contactId);
  const scope = scopeOf(ctx);
  const predicate = compilePredicate(condition, scope);
  const facts = compileFacts(condition, scope);
  // jsonb_build_object takes at most 100 arguments: 50 facts per call.
  const objects: string[] = [];
  for (let i = 0; i < facts.length; i += 50) {
    const pairs = facts
      .slice(i, i + 50)
      .map((f) => `${ctx.params.text(f.field)}, ${f.sql}`)
      .join(', ');
    objects.push(`jsonb_build_object(${pairs})`);
  }
  const values = objects.length > 0 ? objects.join(' || ') : `'{}'::jsonb`;
  const text = `select ${predicate} as matched, ${values} as values
from ${CONTACTS}
where c.workspace_id = ${ctx.workspace}
  and c.id = (select coalesce(x.merged_into, x.id) from contacts x where x.id = ${contact})`;
  return { text, values: ctx.params.values };
}
