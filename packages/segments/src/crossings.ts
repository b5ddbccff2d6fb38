import {
  assertNever,
  type Condition,
  type ConditionLeaf,
  isTimedComparison,
  type EventFilter,
  type TimedComparison,
} from '@relance/flow';
import { durationMs, rollupLast, ROLLUPS } from './events';
import type { SqlParams } from './params';
import { fieldPath } from './rule-error';

/**
 * The window a tick covers: crossings at instants in (from, to]. The placeholders are already
 * in `params`; the dates themselves are needed to list the month-days anniversaries fall on.
 */
export interface CrossingWindow {
  params: SqlParams;
  workspace: string;
  from: Date;
  to: Date;
  fromSql: string;
  toSql: string;
}

const DAY_MS = 86_400_000;

/** Instants `at` with at + shift in (from, to]: the value crossed a boundary in the window. */
function shifted(column: string, shiftMs: number, w: CrossingWindow): string {
  if (shiftMs === 0) return `${column} > ${w.fromSql} and ${column} <= ${w.toSql}`;
  const from = w.params.timestamp(new Date(w.from.getTime() - shiftMs));
  const to = w.params.timestamp(new Date(w.to.getTime() - shiftMs));
  return `${column} > ${from} and ${column} <= ${to}`;
}

function datePropertyRows(path: string, shiftMs: number, w: CrossingWindow): string {
  return `select d.contact_id from contact_date_properties d where d.workspace_id = ${w.workspace} and d.name = ${w.params.text(path)} and ${shifted('d.at', shiftMs, w)}`;
}

/**
 * Month-days (MMDD) that are "today + days" somewhere on Earth at some instant of the window:
 * local dates run from the UTC date − 1 to + 1, and the day before is kept for exits.
 */
export function anniversaryMonthDays(from: Date, to: Date, days: number): number[] | null {
  const first = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()) - 2 * DAY_MS;
  const last = Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate()) + DAY_MS;
  if (last - first > 366 * DAY_MS) return null;
  const set = new Set<number>();
  for (let t = first; t <= last; t += DAY_MS) {
    const target = new Date(t + days * DAY_MS);
    const md = (target.getUTCMonth() + 1) * 100 + target.getUTCDate();
    set.add(md);
    // 29 February anniversaries fall on 28 February in other years.
    if (md === 228) set.add(229);
  }
  return [...set].sort((a, b) => a - b);
}

/**
 * Month-days on which a contact's answer to an anniversary leaf can flip during the window:
 * "in N days" enters and leaves around today + N; "within N days" enters at today + N and leaves
 * the day after the anniversary (today − 1). Null when the window spans every day of the year.
 */
function anniversaryLeafMonthDays(
  leaf: { op: 'anniversary_in' | 'anniversary_within'; days: number },
  from: Date,
  to: Date,
): number[] | null {
  const ahead = anniversaryMonthDays(from, to, leaf.days);
  if (leaf.op === 'anniversary_in' || ahead === null) return ahead;
  const past = anniversaryMonthDays(from, to, 0);
  return past === null ? null : [...new Set([...ahead, ...past])].sort((a, b) => a - b);
}

function anniversaryRows(
  path: string,
  leaf: { op: 'anniversary_in' | 'anniversary_within'; days: number },
  w: CrossingWindow,
): string {
  const mds = anniversaryLeafMonthDays(leaf, w.from, w.to);
  const tz = 'coalesce(c.timezone, ws.timezone)';
  const monthDays = mds ? ` and d.month_day = any(${w.params.integers(mds)})` : '';
  return `select d.contact_id from contact_date_properties d
    join contacts c on c.id = d.contact_id join workspaces ws on ws.id = c.workspace_id
    where d.workspace_id = ${w.workspace} and d.name = ${w.params.text(path)}${monthDays}
      and (${w.fromSql} at time zone ${tz})::date <> (${w.toSql} at time zone ${tz})::date`;
}

/** Events of one name that left a window of `ms` during the tick. */
export function eventWindowRows(event: string, ms: number, w: CrossingWindow): string {
  return `select e.contact_id from events e where e.workspace_id = ${w.workspace} and e.name = ${w.params.text(event)} and ${shifted('e.occurred_at', ms, w)}`;
}

/** The comparisons of an event filter that change as time passes, with their paths. */
function timedFilterLeaves(
  filter: EventFilter,
  field: string,
): { leaf: TimedComparison; field: string }[] {
  switch (filter.kind) {
    case 'all':
    case 'any':
      return filter.conditions.flatMap((f, i) =>
        timedFilterLeaves(f, fieldPath(field, 'conditions', i)),
      );
    case 'not':
      return timedFilterLeaves(filter.condition, fieldPath(field, 'condition'));
    case 'property':
      return isTimedComparison(filter) ? [{ leaf: filter, field }] : [];
    default:
      return assertNever(filter);
  }
}

/**
 * Events of one name (those still inside the leaf's window, when it has one) whose filtered date
 * property crossed a boundary during the tick: "performed subscription.started where ends_at is
 * within the next 7 days". The events' dates are not indexed, so this reads the events of that
 * name; a date without an offset is read as UTC here, with a day's margin either side for every
 * time zone (the candidates are then evaluated exactly), and anniversaries are looked for only
 * when the contact's local date changed during the tick.
 */
function eventFilterRows(
  event: string,
  withinMs: number | undefined,
  { leaf, field }: { leaf: TimedComparison; field: string },
  w: CrossingWindow,
): string[] {
  const p = w.params;
  const parts = leaf.property.split('.');
  const value = `relance_ts(e.properties #> ${p.textArray(parts)}, 'UTC')`;
  const since =
    withinMs === undefined
      ? ''
      : ` and e.occurred_at > ${p.timestamp(new Date(w.from.getTime() - withinMs))}`;
  const events = `from events e where e.workspace_id = ${w.workspace} and e.name = ${p.text(event)}${since}`;
  const around = (shiftMs: number) => {
    const from = p.timestamp(new Date(w.from.getTime() - shiftMs - DAY_MS));
    const to = p.timestamp(new Date(w.to.getTime() - shiftMs + DAY_MS));
    return `select e.contact_id ${events} and ${value} > ${from} and ${value} <= ${to}`;
  };
  switch (leaf.op) {
    case 'within_last': {
      const ms = durationMs(leaf.value, fieldPath(field, 'value'));
      return [around(0), around(ms)];
    }
    case 'within_next': {
      const ms = durationMs(leaf.value, fieldPath(field, 'value'));
      return [around(-ms), around(0)];
    }
    case 'more_than_ago':
      return [around(durationMs(leaf.value, fieldPath(field, 'value')))];
    case 'anniversary_in':
    case 'anniversary_within': {
      // Month-days a day either side of those a contact property would need: the value's UTC
      // date may be its local date ± 1.
      const mds = anniversaryLeafMonthDays(
        leaf,
        new Date(w.from.getTime() - DAY_MS),
        new Date(w.to.getTime() + DAY_MS),
      );
      const tz = 'coalesce(c.timezone, ws.timezone)';
      const monthDay = `(extract(month from ${value} at time zone 'UTC') * 100 + extract(day from ${value} at time zone 'UTC'))::int`;
      return [
        `select e.contact_id ${events}${mds ? ` and ${monthDay} = any(${p.integers(mds)})` : ` and ${value} is not null`}
          and exists (select 1 from contacts c join workspaces ws on ws.id = c.workspace_id
            where c.id = e.contact_id
              and (${w.fromSql} at time zone ${tz})::date <> (${w.toSql} at time zone ${tz})::date)`,
      ];
    }
    default:
      return assertNever(leaf);
  }
}

function leafCrossings(leaf: ConditionLeaf, w: CrossingWindow, field: string): string[] {
  switch (leaf.kind) {
    case 'property': {
      // Only $created_at among built-in fields is a date; it is indexed with the properties.
      if (leaf.property.startsWith('$') && leaf.property !== '$created_at') return [];
      if (!isTimedComparison(leaf)) return [];
      switch (leaf.op) {
        case 'within_last': {
          const ms = durationMs(leaf.value, fieldPath(field, 'value'));
          return [datePropertyRows(leaf.property, 0, w), datePropertyRows(leaf.property, ms, w)];
        }
        case 'within_next': {
          const ms = durationMs(leaf.value, fieldPath(field, 'value'));
          return [datePropertyRows(leaf.property, -ms, w), datePropertyRows(leaf.property, 0, w)];
        }
        case 'more_than_ago':
          return [
            datePropertyRows(leaf.property, durationMs(leaf.value, fieldPath(field, 'value')), w),
          ];
        case 'anniversary_in':
        case 'anniversary_within':
          return [anniversaryRows(leaf.property, leaf, w)];
        default:
          return assertNever(leaf);
      }
    }
    case 'event_last': {
      const ms = durationMs(leaf.duration, fieldPath(field, 'duration'));
      const rows = [
        `select r.contact_id from ${ROLLUPS} r where r.workspace_id = ${w.workspace} and r.name = ${w.params.text(leaf.event)} and ${shifted(`r.${rollupLast(leaf.event, leaf.humanOnly)}`, ms, w)}`,
      ];
      if (leaf.op === 'more_than' && leaf.includeNever !== false) {
        rows.push(
          `select c.id as contact_id from contacts c where c.workspace_id = ${w.workspace} and c.merged_into is null and ${shifted('c.created_at', ms, w)}`,
        );
      }
      return rows;
    }
    case 'event_count': {
      const withinMs =
        leaf.within === undefined ? undefined : durationMs(leaf.within, fieldPath(field, 'within'));
      const rows = withinMs === undefined ? [] : [eventWindowRows(leaf.event, withinMs, w)];
      // Dates inside the filter ("where ends_at is within the next 7 days") move on their own.
      if (leaf.where !== undefined) {
        for (const timed of timedFilterLeaves(leaf.where, fieldPath(field, 'where'))) {
          rows.push(...eventFilterRows(leaf.event, withinMs, timed, w));
        }
      }
      return rows;
    }
    case 'event_aggregate':
      return leaf.within === undefined
        ? []
        : [eventWindowRows(leaf.event, durationMs(leaf.within, fieldPath(field, 'within')), w)];
    case 'email': {
      if (leaf.within === undefined) return [];
      const ms = durationMs(leaf.within, fieldPath(field, 'within'));
      // A click counts as an open: clicks leaving the window matter to "opened" too. A leaf
      // counting a person's only (`humanOnly`) takes the same rows, machines' included: they
      // are candidates, evaluated exactly, and the (workspace, name, time) index answers alone,
      // where testing the flag would read every event leaving the window.
      const names = [
        `email.${leaf.action}`,
        ...(leaf.action === 'opened' ? ['email.clicked'] : []),
      ];
      return names.map((name) => eventWindowRows(name, ms, w));
    }
    // Membership of another segment changes when that segment changes: the engine re-checks
    // dependants of every segment a contact entered or left in the same pass.
    case 'tag':
    case 'score':
    case 'segment':
      return [];
    default:
      return assertNever(leaf);
  }
}

/**
 * SELECTs (column `contact_id`) of the contacts for whom a time-driven leaf of `rule` may have
 * flipped during the window, read from indexes on rollups, events, contacts and date
 * properties: the crossings, never the whole base. Candidates are then evaluated exactly.
 */
export function compileCrossings(rule: Condition, w: CrossingWindow, field = ''): string[] {
  switch (rule.kind) {
    case 'all':
    case 'any':
      return rule.conditions.flatMap((c, i) =>
        compileCrossings(c, w, fieldPath(field, 'conditions', i)),
      );
    case 'not':
      return compileCrossings(rule.condition, w, fieldPath(field, 'condition'));
    case 'property':
    case 'tag':
    case 'score':
    case 'segment':
    case 'event_count':
    case 'event_last':
    case 'event_aggregate':
    case 'email':
      return leafCrossings(rule, w, field);
    default:
      return assertNever(rule);
  }
}
