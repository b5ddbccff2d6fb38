import { expect, it } from 'vitest';
import { getTimeline } from '@relance/db';
import { createDocumentBuilder, type FlowDocument } from '@relance/flow';
import { createContact, eventually, publish, recordEvent, useJourneyEnv } from './harness';

// "One journey per: orderId" on order.completed. An order sent without an orderId is still an
// order: it is its own entry, keyed by the event, so a buyer's second such order gets its
// thank-you too, while orders that share an orderId, and a replay of one event, start one run.

const env = useJourneyEnv({ worker: true });

/** order.completed, one run per orderId, each contact once per key → tag → exit. */
function thankYouFlow(): FlowDocument {
  const b = createDocumentBuilder('Thank you');
  b.node('trigger', 'trigger.event', { event: 'order.completed', entryKey: 'orderId' }, 0, 0);
  b.node('tag', 'action.tag', { add: ['thanked'] }, 0, 1);
  b.node('exit', 'logic.exit', {}, 0, 2);
  b.edge('trigger', 'tag');
  b.edge('tag', 'exit');
  return b.build();
}

const runsOf = (journeyId: string, contactId: string) =>
  env.db.sql<{ entryKey: string; eventId: string; status: string }[]>`
    select entry_key, entry->>'eventId' as event_id, status from journey_runs
    where journey_id = ${journeyId} and contact_id = ${contactId} order by started_at, id`;

/** The contact's runs of the journey once there are `count`, all finished. */
async function finished(journeyId: string, contactId: string, count: number) {
  const runs = await eventually(async () => {
    const runs = await runsOf(journeyId, contactId);
    return runs.length === count && runs.every((r) => r.status === 'completed') ? runs : null;
  });
  return runs!;
}

it('two orders without an orderId start two runs; two with the same orderId one; a replay none more', async () => {
  const { journeyId } = await publish(env, thankYouFlow());
  const anna = await createContact(env, { email: 'anna@example.com' });
  const dispatch = (ids: string[]) => env.runtime.eventsRecorded(env.db.workspaceId, ids);

  const first = await recordEvent(env, anna, 'order.completed', { amount: 40 });
  await dispatch([first]);
  await finished(journeyId, anna, 1);
  // Her second order without an orderId, and one whose orderId is empty: each its own.
  const second = await recordEvent(env, anna, 'order.completed', { amount: 25 });
  const empty = await recordEvent(env, anna, 'order.completed', { orderId: '', amount: 9 });
  await dispatch([second, empty]);
  // Replays of an event already dispatched (a retried ingestion, a redelivery), at once too.
  await Promise.all([dispatch([second]), dispatch([first, second])]);
  // Two events for one order, dispatched together and then again.
  const order = await recordEvent(env, anna, 'order.completed', { orderId: 'ORD-1042' });
  const copy = await recordEvent(env, anna, 'order.completed', { orderId: 'ORD-1042' });
  await dispatch([order, copy]);
  await dispatch([copy]);
  // An order whose real id reads like an event's key is that order, not the event's.
  const lookalike = await recordEvent(env, anna, 'order.completed', {
    orderId: `$event:${first}`,
  });
  await dispatch([lookalike]);

  const runs = await finished(journeyId, anna, 5);
  // One run per order; the ORD-1042 run began from whichever of its two events came first.
  expect(runs.map((r) => r.entryKey).sort()).toEqual(
    [
      `$event:${first}`,
      `$event:${second}`,
      `$event:${empty}`,
      `$$event:${first}`,
      'ORD-1042',
    ].sort(),
  );
  for (const run of runs) {
    if (run.entryKey.startsWith('$event:')) expect(run.entryKey).toBe(`$event:${run.eventId}`);
  }
  expect(runs.find((r) => r.entryKey === 'ORD-1042')!.eventId).toMatch(
    new RegExp(`^(${order}|${copy})$`),
  );
  expect(runs.find((r) => r.entryKey.startsWith('$$'))!.eventId).toBe(lookalike);

  // Her timeline says which order each run is about, and never an event's key as an order.
  const { items } = await getTimeline(env.db.sql, { contactId: anna, limit: 100 });
  const entries = items.filter((i) => i.kind === 'journey_run' && i.change === 'entered');
  const about = entries.map((i) => i.kind === 'journey_run' && [i.entryKey, i.keyedByEvent]);
  expect(about.filter((a) => a && a[1])).toEqual([
    [null, true],
    [null, true],
    [null, true],
  ]);
  expect(about.filter((a) => a && !a[1]).sort()).toEqual([
    [`$event:${first}`, false],
    ['ORD-1042', false],
  ]);
});

it('a journey without an entry key still lets each contact in once', async () => {
  const b = createDocumentBuilder('Welcome buyer');
  b.node('trigger', 'trigger.event', { event: 'first.order' }, 0, 0);
  b.node('tag', 'action.tag', { add: ['welcomed'] }, 0, 1);
  b.node('exit', 'logic.exit', {}, 0, 2);
  b.edge('trigger', 'tag');
  b.edge('tag', 'exit');
  const { journeyId } = await publish(env, b.build());
  const bo = await createContact(env, { email: 'bo@example.com' });
  await env.runtime.eventsRecorded(env.db.workspaceId, [await recordEvent(env, bo, 'first.order')]);
  await finished(journeyId, bo, 1);
  await env.runtime.eventsRecorded(env.db.workspaceId, [await recordEvent(env, bo, 'first.order')]);
  expect((await runsOf(journeyId, bo)).map((r) => r.entryKey)).toEqual(['']);
});
