// The API's stop (apps/api/src/shutdown.ts, as main.ts wires it on SIGTERM): over a real HTTP
// server, an event accepted just before the stop still gets its journey dispatch before Temporal
// and Postgres are closed; a dispatch that never finishes holds the stop only for the grace period.

import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSettler } from '@relance/api/ingest/settler';
import { createShutdown } from '@relance/api/shutdown';
import type { JourneyDispatcher } from '@relance/db';
import { createTestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { connectDevServer } from '../../support/temporal';

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
let writeKey: string;

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
  writeKey = (await db.sql<{ writeKey: string }[]>`select write_key from workspaces`)[0]!.writeKey;
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

/** A dispatcher whose event dispatches wait until `release()`: a slow Temporal. */
function heldDispatcher() {
  const steps: string[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const dispatcher: JourneyDispatcher = {
    async eventsRecorded(_workspaceId, ids) {
      steps.push('dispatch began');
      await released;
      steps.push(`dispatched ${ids.length} event(s)`);
    },
    segmentsChanged: () => Promise.resolve(),
    contactsChanged: () => Promise.resolve(),
  };
  return { dispatcher, steps, release };
}

/** The real app with its own settler, served over HTTP as main.ts does. */
async function serveApp(dispatcher: JourneyDispatcher) {
  const settler = createSettler({ sql: db.sql, dispatcher, log: () => {}, now: () => new Date() });
  const { app } = createTestApp({ db, temporal, dispatcher, overrides: { settler } });
  let server!: ServerType;
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const track = (userId: string) =>
    fetch(`${url}/v1/track`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${writeKey}` },
      body: JSON.stringify({ userId, event: 'Signed Up' }),
    });
  return { server, settler, track };
}

it('a stop waits for the journey dispatch of an event accepted just before it, then closes Temporal and Postgres', async () => {
  const held = heldDispatcher();
  const { server, settler, track } = await serveApp(held.dispatcher);
  expect((await track('just-before-the-stop')).status).toBe(200);
  await expect.poll(() => held.steps).toContain('dispatch began');

  const stop = createShutdown({
    server,
    settler,
    close: [
      () => Promise.resolve(held.steps.push('temporal closed')),
      () => Promise.resolve(held.steps.push('sql closed')),
    ],
    log: () => {},
    graceMs: 15_000,
  });
  let stopped = false;
  const stopping = stop().then(() => (stopped = true));
  // Requests are no longer taken while the dispatch is still going.
  await expect(track('after-the-stop')).rejects.toThrow();
  await new Promise((r) => setTimeout(r, 300));
  expect(stopped).toBe(false);
  expect(held.steps).toEqual(['dispatch began']);

  held.release();
  await stopping;
  expect(held.steps).toEqual([
    'dispatch began',
    'dispatched 1 event(s)',
    'temporal closed',
    'sql closed',
  ]);
  expect(stop()).toBe(stop());
});

it('a dispatch that never finishes holds the stop only for the grace period, and says so', async () => {
  const held = heldDispatcher();
  const { server, settler, track } = await serveApp(held.dispatcher);
  expect((await track('stuck-dispatch')).status).toBe(200);
  await expect.poll(() => held.steps).toContain('dispatch began');

  const lines: string[] = [];
  const began = Date.now();
  await createShutdown({
    server,
    settler,
    close: [() => Promise.resolve(held.steps.push('closed'))],
    log: (line) => lines.push(line),
    graceMs: 500,
  })();
  expect(Date.now() - began).toBeGreaterThanOrEqual(450);
  expect(Date.now() - began).toBeLessThan(5_000);
  expect(held.steps).toEqual(['dispatch began', 'closed']);
  expect(lines.join('\n')).toMatch(/journey dispatches .* still running after the grace period/);
  held.release();
});
