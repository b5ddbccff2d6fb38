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
