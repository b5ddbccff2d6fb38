import { expect, it } from 'vitest';
import { createDocumentBuilder } from '@relance/flow';
import type { RunRequest } from '@relance/journeys';
import { createContact, eventually, publish, useJourneyEnv } from './harness';

// A bulk enrolment batch or a date scan that fails part-way is retried as a whole. The runs its
// first attempt started may have ended by then, and an after_exit policy lets an ended run's
// contact in again: the retry must still not start a second run from the same entry.

const env = useJourneyEnv({ worker: true });

async function shortJourney(name: string) {
  const b = createDocumentBuilder(name, { entryPolicy: { kind: 'after_exit' } });
  b.node('trigger', 'trigger.manual', {}, 0, 0);
  b.node('exit', 'logic.exit', {}, 0, 1);
  b.edge('trigger', 'exit');
  return publish(env, b.build());
}

const ended = (journeyId: string, count: number) =>
  eventually(async () => {
    const rows = await env.db.sql`
      select 1 from journey_runs where journey_id = ${journeyId} and ended_at is not null`;
    return rows.length >= count;
  });

const runsOf = async (journeyId: string) =>
  (
    await env.db.sql<{ contactId: string; entry: Record<string, unknown> }[]>`
      select contact_id, entry from journey_runs where journey_id = ${journeyId}`
  ).length;

it('a retried enrolment batch does not start again the runs its first attempt started and that ended', async () => {
  const { journeyId, versionId } = await shortJourney('Batch retry');
  const contacts = [
    await createContact(env, { email: 'batch-a@example.com' }),
    await createContact(env, { email: 'batch-b@example.com' }),
  ];
  const request = (contactId: string, enrolmentId: string): RunRequest => ({
    journeyId,
    versionId,
    entryPolicy: { kind: 'after_exit' },
    contactId,
    entryKey: null,
    entry: { kind: 'manual', enrolmentId },
  });
  const enrolment = '00000000-0000-4000-8000-000000000001';
  // The first attempt started the first contact's run, then Temporal failed the next start.
  expect(await env.runtime.startRuns([request(contacts[0]!, enrolment)])).toEqual(['started']);
  await ended(journeyId, 1);
  // The retry asks for both: only the one not started yet starts.
  expect(await env.runtime.startRuns(contacts.map((c) => request(c, enrolment)))).toEqual([
    'duplicate',
    'started',
  ]);
  await ended(journeyId, 2);
  expect(await runsOf(journeyId)).toBe(2);
  // Another enrolment is another entry: after_exit lets the contact in again.
  const later = '00000000-0000-4000-8000-000000000002';
  expect(await env.runtime.startRuns([request(contacts[0]!, later)])).toEqual(['started']);
  await ended(journeyId, 3);
});

it('a retried date scan does not start again the run of an occurrence that already ended', async () => {
  const { journeyId, versionId } = await shortJourney('Date retry');
  const contactId = await createContact(env, { email: 'date-a@example.com' });
  const request: RunRequest = {
    journeyId,
    versionId,
    entryPolicy: { kind: 'after_exit' },
    contactId,
    entryKey: '2026-11-24',
    entry: { kind: 'date', key: '2026-11-24', occurrence: '2026-11-24T09:00:00.000Z' },
  };
  expect(await env.runtime.startRuns([request])).toEqual(['started']);
  await ended(journeyId, 1);
  expect(await env.runtime.startRuns([request])).toEqual(['duplicate']);
  expect(await runsOf(journeyId)).toBe(1);
});
