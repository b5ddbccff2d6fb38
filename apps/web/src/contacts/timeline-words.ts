/**
 * Why a contact entered or left a segment, from the change log's `cause`, in a marketer's words:
 * `ingest` → "after new activity", `journey:<id>:<step>` → "by a journey" (with its id to link).
 */
export function segmentCause(cause: string): { text: string; journeyId?: string } {
  const [kind = '', id] = cause.split(':');
  switch (kind) {
    case 'ingest':
    case 'event':
      return { text: 'after new activity' };
    case 'tick':
      return { text: 'as time passed' };
    case 'reconcile':
      return { text: 'at a scheduled check' };
    case 'rule':
      return { text: 'when the rule was saved' };
    case 'api':
      return { text: 'through the API' };
    case 'import':
      return { text: 'by an import' };
    case 'merge':
      return { text: 'when two contacts were merged' };
    case 'form':
      return { text: 'by a signup form' };
    case 'journey':
      return id ? { text: 'by a journey', journeyId: id } : { text: 'by a journey' };
    case 'flow':
      return { text: 'by a journey' };
    default:
      return { text: cause };
  }
}

/** What Relance's own events read as on a timeline (`identify` calls, merges). */
export const OWN_EVENTS: Record<string, string> = {
  $identify: 'Identified',
  $merge: 'Merged a duplicate into this contact',
};
