// Runs the real journey interpreter on Temporal's time-skipping server with stub activities.

import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundle } from '@temporalio/worker';
import type { FlowPlan } from '@relance/flow';
import {
  JOURNEY_RUN_WORKFLOW,
  SIGNALS,
  type JourneyRunInput,
  type RunEntry,
  type RunNotification,
} from '@relance/workflows/contracts';
import type { journeyRun } from '@relance/workflows/journey-run';
import { createTimeSkippingEnvironment } from '../../support/temporal';
import { createStubActivities, createWorld, type StubEvent, type World } from './stub-world';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface Harness {
  env: TestWorkflowEnvironment;
  bundle: WorkflowBundle;
}

export async function createHarness(): Promise<Harness> {
  const env = await createTimeSkippingEnvironment();
  const bundle = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(import.meta.resolve('@relance/workflows')),
    logger: { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} },
  });
  return { env, bundle };
}

/** One run of `plan` for one contact, with its world, a worker and helpers to poke it. */
export async function startRun(
  h: Harness,
  plan: FlowPlan,
  options: { world?: Partial<World>; entry?: RunEntry; workflowId?: string } = {},
) {
  const world = createWorld(plan, options.world);
  const taskQueue = `journeys-${randomUUID()}`;
  const worker = await Worker.create({
    connection: h.env.nativeConnection,
    taskQueue,
    workflowBundle: h.bundle,
    activities: createStubActivities(world),
  });
  const running = worker.run();
  const t0 = await h.env.currentTimeMs();
  const input: JourneyRunInput = {
    v: 1,
    journeyVersionId: 'v1',
    contactId: 'c1',
    entry: options.entry ?? { kind: 'manual', enrolmentId: null },
  };
  const handle = await h.env.client.workflow.start<typeof journeyRun>(JOURNEY_RUN_WORKFLOW, {
    taskQueue,
    workflowId: options.workflowId ?? `run:j1:c1:${randomUUID()}`,
    args: [input],
  });
  let nextEventId = 1_000;
  return {
    world,
    handle,
    /** Workflow time the run began at (once it has begun). */
    get t0() {
      return Number.isNaN(world.startedAt) ? t0 : world.startedAt;
    },
    /** Records an event for the contact and signals the run, as the dispatcher would. */
    async event(name: string, properties: Record<string, unknown> = {}) {
      const event: StubEvent = {
        id: String(++nextEventId),
        name,
        properties,
        at: await h.env.currentTimeMs(),
      };
      world.events.push(event);
      const n: RunNotification = { kind: 'event', eventId: event.id, name };
      await handle.signal(SIGNALS.notify, n);
    },
    async notify(n: RunNotification) {
      await handle.signal(SIGNALS.notify, n);
    },
    /** Lets workflow time pass (the server skips it). */
    sleep: (ms: number) => h.env.sleep(ms),
    async result() {
      return handle.result();
    },
    async stop() {
      worker.shutdown();
      await running;
    },
  };
}

/**
 * Effects as `[kind@node, offset from the run's start in ms]`, to the minute: activities run in
 * real time on the time-skipping server, so each step adds milliseconds to seconds of latency.
 */
export function timeline(world: World, t0: number): [string, number][] {
  return world.effects.map((e) => [
    `${e.kind === 'email' ? `email:${e.templateId}` : e.action}@${e.nodeId}`,
    Math.round((e.at - t0) / 60_000) * 60_000,
  ]);
}
