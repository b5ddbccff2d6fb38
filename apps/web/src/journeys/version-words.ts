import type { JourneyStatus } from './journey-api';

// A published version is live only while the journey is: a paused journey takes nobody in and
// sends nothing, whatever its newest version is, and a stopped one runs no version at all.

/** What the editor's header says of the newest published version, true to the journey's status. */
export function publishedVersionWords(status: JourneyStatus, version: number | null): string {
  switch (status) {
    case 'paused':
      return `Version ${version} is published, on hold`;
    case 'stopped':
      return `Version ${version} was the last to run`;
    case 'draft':
    case 'active':
      return `Version ${version} is live`;
  }
}

/** What pausing means for a version published now, said before and after publishing it. */
export const PAUSED_PUBLISH_NOTE =
  'The journey is paused and stays paused: nobody enters it and no email goes out until you resume it from the live view.';

/** How the versions page tags the newest published version among the others. */
export function newestVersionTag(status: JourneyStatus): string {
  switch (status) {
    case 'paused':
      return 'paused';
    case 'stopped':
      return 'stopped';
    case 'draft':
    case 'active':
      return 'live';
  }
}

const entriesWord = (n: number) => (n === 1 ? '1 entry' : `${n.toLocaleString('en')} entries`);

/**
 * What a new version did to the entries already in the journey, said once it is published:
 * `inFlight` as the dialog counted them, `moved` as the server asked to carry over.
 */
export function carriedOverWords(outcome: {
  previous: number | null;
  carryOver: 'keep' | 'move';
  inFlight: number;
  moved: number;
  /** Entries waiting on versions before `previous`, which they finish on if not moved. */
  earlier?: { version: number; waiting: number }[];
}): string | null {
  const { previous, inFlight, moved, earlier = [] } = outcome;
  if (previous === null || inFlight === 0) return null;
  if (outcome.carryOver === 'keep' || moved === 0) {
    if (earlier.length > 0) {
      const onEarlier = earlier.reduce((sum, e) => sum + e.waiting, 0);
      const onPrevious = Math.max(inFlight - onEarlier, 0);
      const each = [
        ...(onPrevious > 0 ? [`${onPrevious.toLocaleString('en')} on version ${previous}`] : []),
        ...earlier.map((e) => `${e.waiting.toLocaleString('en')} on version ${e.version}`),
      ];
      return `The ${entriesWord(inFlight)} already in progress finish on the version each is on: ${each.join(', ')}.`;
    }
    return inFlight === 1
      ? `The entry already in progress finishes on version ${previous}.`
      : `The ${entriesWord(inFlight)} already in progress finish on version ${previous}.`;
  }
  const staying = Math.max(inFlight - moved, 0);
  if (staying === 0) {
    return moved === 1
      ? 'The entry in progress moves to it, from the step it waits at.'
      : `The ${entriesWord(moved)} in progress move to it, each from the step it waits at.`;
  }
  const movedWords =
    moved === 1
      ? '1 entry waiting at a step it kept moves'
      : `${entriesWord(moved)} waiting at steps it kept move`;
  const stayWords =
    staying === 1 ? 'the other entry finishes' : `the other ${entriesWord(staying)} finish`;
  const where = earlier.length > 0 ? 'the version they are on' : `version ${previous}`;
  return `${movedWords} to it; ${stayWords} on ${where}.`;
}
