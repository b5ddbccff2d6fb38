import type { JourneyDispatcher } from '@relance/db';

/** A JourneyDispatcher that remembers what it was told, for tests that assert dispatches. */
export function createRecordingDispatcher() {
  const calls = {
    events: [] as string[],
    segmentChanges: [] as string[],
    contacts: [] as string[],
  };
  const dispatcher: JourneyDispatcher = {
    eventsRecorded(_workspaceId, ids) {
      calls.events.push(...ids);
      return Promise.resolve();
    },
    segmentsChanged(_workspaceId, ids) {
      calls.segmentChanges.push(...ids);
      return Promise.resolve();
    },
    contactsChanged(_workspaceId, ids) {
      calls.contacts.push(...ids);
      return Promise.resolve();
    },
  };
  return { dispatcher, calls };
}
