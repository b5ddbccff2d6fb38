/* eslint-disable @typescript-eslint/require-await -- stubs keep the async signatures of the activities they stand in for */
// Typed stub activities for the journey interpreter: one contact's world in memory (facts,
// events, segments, a paused flag) and a log of every action with the workflow time it ran at.
// They implement the same contracts as activities/src/journeys and the email package.

import { Context } from '@temporalio/activity';
import {
  earliestRecheck,
  FILTER_RECHECK_MS,
  probesOf,
  watchedBy,
  type TimeProbe,
} from '@relance/activities/journeys/gate';
import type { Condition, FlowPlan } from '@relance/flow';
import { getPath, matchesFilter, matchesProperty } from '@relance/flow/runtime';
import type { SendEmailInput, SendEmailResult } from '@relance/workflows/contracts';
import type {
  Check,
  CheckResult,
  Guard,
  GuardResult,
  JourneyActivities,
  RunRef,
  StepRecord,
} from '@relance/workflows/journey-activities';

export interface StubEvent {
  id: string;
  name: string;
  properties: Record<string, unknown>;
  at: number;
}

/** What happened, in order: every side effect with the workflow time it happened at. */
export type Effect =
  | { kind: 'email'; at: number; nodeId: string; templateId: string; key: string }
  | { kind: 'action'; at: number; nodeId: string; action: string; key: string; replayed: boolean };

export interface World {
  contact: { properties: Record<string, unknown>; tags: string[]; score: number };
  segments: Set<string>;
  events: StubEvent[];
  paused: boolean;
  timeZone: string;
  effects: Effect[];
  steps: Map<number, StepRecord>;
  ended: { status: string; at: number } | null;
  keys: Set<string>;
  /** How often the run was read back after continue-as-new. */
  loads: number;
  /** Every checkpoint that got past the guard and the pause: the step's node, workflow time. */
  checks: { nodeId: string; at: number }[];
  /** Workflow time the run began at (beginRun). */
  startedAt: number;
  /** Plans by version id (the run starts on `v1`). */
  versions: Record<string, FlowPlan>;
  /** Answers for sendEmail, in order; `sent` when exhausted. */
  emailAnswers: SendEmailResult[];
  /** Called on every send (e.g. to record a reaction before the run reaches its next wait). */
  onSend?: (world: World, input: SendEmailInput) => void;
  /** Awaited by beginRun and loadRun once the row is written or read (to land a cancel there). */
  whileStarting?: (activity: 'beginRun' | 'loadRun') => Promise<void>;
}

export function createWorld(plan: FlowPlan, overrides: Partial<World> = {}): World {
  return {
    contact: { properties: {}, tags: [], score: 0 },
    segments: new Set(),
    events: [],
    paused: false,
    timeZone: 'UTC',
    effects: [],
    steps: new Map(),
    ended: null,
    keys: new Set(),
    loads: 0,
    checks: [],
    startedAt: Number.NaN,
    versions: { v1: plan },
    emailAnswers: [],
    ...overrides,
  };
}

function count(world: World, name: string, withinMs: number | null, now: number): number {
  return world.events.filter(
    (e) => e.name === name && (withinMs === null || e.at >= now - withinMs),
  ).length;
}

const DAY = 86_400_000;
const durationMs = (d: string | undefined) =>
  d === undefined ? null : Number(/^(\d+)d$/.exec(d)?.[1] ?? Number.NaN) * DAY;

/** Evaluates the condition leaves the yardstick flows use against the world. */
export function evaluate(world: World, condition: Condition, now: number): boolean {
  switch (condition.kind) {
    case 'all':
      return condition.conditions.every((c) => evaluate(world, c, now));
    case 'any':
      return condition.conditions.some((c) => evaluate(world, c, now));
    case 'not':
      return !evaluate(world, condition.condition, now);
    case 'property':
      return matchesProperty(condition, world.contact.properties, { now });
    case 'tag':
      return world.contact.tags.includes(condition.tag) === (condition.op === 'has');
    case 'score': {
      const s = world.contact.score;
      const v = condition.value;
      const ops = { eq: s === v, neq: s !== v, gt: s > v, gte: s >= v, lt: s < v, lte: s <= v };
      return ops[condition.op];
    }
    case 'segment':
      return world.segments.has(condition.segmentId) === (condition.op === 'in');
    case 'email': {
      const n = count(world, `email.${condition.action}`, durationMs(condition.within), now);
      const ops = {
        at_least: n >= condition.count,
        at_most: n <= condition.count,
        exactly: n === condition.count,
      };
      return ops[condition.op];
    }
    case 'event_last': {
      // A contact who never performed it counts from when the run began (its stand-in for
      // when the contact joined).
      const since = now - (durationMs(condition.duration) ?? Number.NaN);
      const last = lastAt(world, condition.event);
      if (condition.op === 'within') return last !== null && last > since;
      if (last !== null) return last <= since;
      return condition.includeNever !== false && world.startedAt <= since;
    }
    case 'event_count':
    case 'event_aggregate':
      throw new Error(`The stub world does not evaluate ${condition.kind}`);
    default: {
      const unreachable: never = condition;
      throw new Error(String(unreachable));
    }
  }
}

function lastAt(world: World, name: string): number | null {
  const times = world.events.filter((e) => e.name === name).map((e) => e.at);
  return times.length === 0 ? null : Math.max(...times);
}

/** The instants one probe's leaf flips at in the world, as the real activity reads Postgres. */
function probeInstants(world: World, probe: TimeProbe, at: number): number[] {
  switch (probe.kind) {
    case 'date': {
      const value = getPath(world.contact.properties, probe.path);
      const t = typeof value === 'string' ? Date.parse(value) : Number.NaN;
      return Number.isNaN(t) ? [] : probe.offsets.map((o) => t + o);
    }
    case 'anniversary':
      return [Math.floor(at / DAY) * DAY + DAY];
    case 'last': {
      const last = lastAt(world, probe.event);
      if (last !== null) return [last + probe.ms];
      return probe.sinceJoined ? [world.startedAt + probe.ms] : [];
    }
    case 'window': {
      const inWindow = world.events
        .filter((e) => probe.events.includes(e.name) && e.at > at - probe.ms)
        .map((e) => e.at + probe.ms);
      return inWindow.length === 0 ? [] : [Math.min(...inWindow)];
    }
    case 'filter':
      return [at + FILTER_RECHECK_MS];
    default: {
      const unreachable: never = probe;
      throw new Error(String(unreachable));
    }
  }
}

function guardOf(world: World, guard: Guard | null, at: number): GuardResult {
  if (!guard) return { kind: 'clear' };
  const exit = guard.exit.findIndex((c) => evaluate(world, c, at));
  if (exit >= 0) return { kind: 'exit', index: exit, values: {} };
  const goal = guard.goals.find((g) => evaluate(world, g.condition, at));
  return goal ? { kind: 'goal', nodeId: goal.nodeId, values: {} } : { kind: 'clear' };
}

function check(world: World, c: Check, at: number): CheckResult {
  switch (c.kind) {
    case 'conditions':
      return {
        kind: 'conditions',
        results: c.conditions.map((x) => ({ matched: evaluate(world, x, at), values: {} })),
      };
    case 'event': {
      const hit = world.events.find(
        (e) =>
          Number(e.id) > Number(c.afterEventId) &&
          e.name === c.event &&
          (c.receivedBy === undefined || e.at <= c.receivedBy) &&
          (c.receivedAfter === undefined || e.at > c.receivedAfter) &&
          (!c.where || matchesFilter(c.where, e.properties, { now: at })),
      );
      return { kind: 'event', eventId: hit?.id ?? null };
    }
    default: {
      const unreachable: never = c;
      throw new Error(String(unreachable));
    }
  }
}

function flush(world: World, records: readonly StepRecord[]) {
  for (const r of records) world.steps.set(r.seq, r);
}

/** The workflow time the current activity attempt was scheduled at. */
const scheduledAt = () => Context.current().info.currentAttemptScheduledTimestampMs;

/** Stub activities over one world (one run per world). */
export function createStubActivities(world: World) {
  let ref: RunRef | null = null;
  const journey: JourneyActivities = {
    async beginRun(input) {
      world.startedAt = input.at;
      ref = {
        runId: input.runId,
        workflowId: input.workflowId,
        workspaceId: 'ws',
        journeyId: 'j1',
        versionId: input.journeyVersionId,
        contactId: input.contactId,
      };
      const plan = world.versions[input.journeyVersionId];
      if (!plan) return { admitted: false, reason: 'no such version' };
      // As the real activity: event waits only see events after the trigger (or after the
      // contact's last event when the run began).
      const last = world.events.reduce((max, e) => Math.max(max, Number(e.id)), 0);
      const watermark = input.entry.kind === 'event' ? input.entry.eventId : String(last);
      await world.whileStarting?.('beginRun');
      return { admitted: true, run: ref, plan, timeZone: world.timeZone, watermark };
    },
    async loadRun() {
      world.loads += 1;
      await world.whileStarting?.('loadRun');
      return { run: ref!, plan: world.versions[ref!.versionId]!, timeZone: world.timeZone };
    },
    async readTimeZone() {
      return world.timeZone;
    },
    async checkpoint(input) {
      flush(world, input.records);
      const guard = guardOf(world, input.guard, input.at);
      if (guard.kind !== 'clear') return { kind: 'guarded', guard };
      if (input.holdIfPaused && world.paused) {
        if (!input.watchHeld) return { kind: 'held' };
        const recheckAt = earliestRecheck(
          probesOf(watchedBy(input.guard, null)).flatMap((p) => probeInstants(world, p, input.at)),
          input.at,
        );
        return { kind: 'held', ...(recheckAt !== undefined ? { recheckAt } : {}) };
      }
      const result = input.check ? check(world, input.check, input.at) : null;
      world.checks.push({ nodeId: input.current.nodeId, at: input.at });
      if (!input.watchTime) return { kind: 'clear', check: result };
      const instants = probesOf(watchedBy(input.guard, input.check)).flatMap((p) =>
        probeInstants(world, p, input.at),
      );
      const recheckAt = earliestRecheck(instants, input.at);
      return { kind: 'clear', check: result, ...(recheckAt !== undefined ? { recheckAt } : {}) };
    },
    async performAction(input) {
      flush(world, input.records);
      const guard = guardOf(world, input.guard, input.at);
      if (guard.kind !== 'clear') return { kind: 'guarded', guard };
      if (world.paused) return { kind: 'held' };
      const replayed = world.keys.has(input.key);
      world.keys.add(input.key);
      const node = input.node;
      if (!replayed) {
        if (node.kind === 'action.score') world.contact.score += node.config.delta;
        if (node.kind === 'action.tag') {
          world.contact.tags = [
            ...world.contact.tags.filter((t) => !node.config.remove.includes(t)),
            ...node.config.add,
          ];
        }
        if (node.kind === 'action.segment') {
          node.config.remove.forEach((s) => world.segments.delete(s));
          node.config.add.forEach((s) => world.segments.add(s));
        }
      }
      world.effects.push({
        kind: 'action',
        at: input.at,
        nodeId: node.id,
        action: node.kind,
        key: input.key,
        replayed,
      });
      return { kind: 'done', outcome: 'done', result: {}, replayed };
    },
    async moveRunToVersion(input) {
      const plan = world.versions[input.journeyVersionId];
      if (
        !plan ||
        plan.nodes[input.nodeId]?.kind !==
          world.versions[input.run.versionId]?.nodes[input.nodeId]?.kind
      ) {
        return { moved: false, reason: 'node not kept' };
      }
      ref = { ...input.run, versionId: input.journeyVersionId };
      return { moved: true, run: ref, plan };
    },
    async endRun(input) {
      flush(world, input.records);
      world.ended = { status: input.status, at: input.at };
    },
    async enrolBatch() {
      throw new Error('not used by journeyRun');
    },
    async scanDateTrigger() {
      throw new Error('not used by journeyRun');
    },
  };
  return {
    ...journey,
    async sendEmail(input: SendEmailInput): Promise<SendEmailResult> {
      const answer = world.emailAnswers.shift() ?? {
        outcome: 'sent',
        messageId: `m-${input.nodeId}`,
      };
      world.onSend?.(world, input);
      if (answer.outcome === 'sent') {
        world.effects.push({
          kind: 'email',
          at: scheduledAt(),
          nodeId: input.nodeId,
          templateId: input.templateId,
          key: input.idempotencyKey,
        });
      }
      return answer;
    },
  };
}

/** Steps in order, as `nodeId:port|outcome`. */
export function stepTrail(world: World): string[] {
  return [...world.steps.values()]
    .sort((a, b) => a.seq - b.seq)
    .map((s) => `${s.nodeId}:${s.port ?? s.outcome}`);
}
