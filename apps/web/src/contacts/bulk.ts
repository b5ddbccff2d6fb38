import { countOf } from '../lib/format';

export type BulkAction =
  'add_tag' | 'remove_tag' | 'add_to_segment' | 'remove_from_segment' | 'enrol' | 'delete';

export const BULK_ACTIONS: { value: BulkAction; label: string }[] = [
  { value: 'add_tag', label: 'Add a tag' },
  { value: 'remove_tag', label: 'Remove a tag' },
  { value: 'add_to_segment', label: 'Add to a static segment' },
  { value: 'remove_from_segment', label: 'Remove from a static segment' },
  { value: 'enrol', label: 'Enrol in a journey' },
  { value: 'delete', label: 'Delete for good…' },
];

/** What enrolling the selection in a journey did. */
export interface EnrolmentTally {
  started: number;
  alreadyIn: number;
  /** Refused by the journey's entry policy (not again yet, or only once). */
  refused: number;
  /** Temporal did not take their start: enrolling them again is safe. */
  notStarted: number;
  /** Selected contacts the workspace no longer has. */
  gone: number;
}

/** The sentence after enrolling the selection: who entered, then why the others did not. */
export function enrolmentOutcome(tally: EnrolmentTally, journey: string): string {
  const was = (n: number) => (n === 1 ? 'was' : 'were');
  const name = `“${journey}”`;
  const it = tally.started === 0 ? name : 'it';
  return [
    tally.started > 0
      ? `Enrolled ${countOf(tally.started, 'contact')} in ${name}.`
      : 'Nobody was enrolled:',
    ...(tally.alreadyIn > 0
      ? [
          `${countOf(tally.alreadyIn, 'contact')} ${was(tally.alreadyIn)} already going through ${it}.`,
        ]
      : []),
    ...(tally.refused > 0
      ? [
          `${countOf(tally.refused, 'contact')} may not enter ${it} again yet, as its entry settings say.`,
        ]
      : []),
    ...(tally.notStarted > 0
      ? [
          `${countOf(tally.notStarted, 'contact')} could not be enrolled just now (the workflow service did not answer): enrol them again in a moment.`,
        ]
      : []),
    ...(tally.gone > 0
      ? [`${countOf(tally.gone, 'contact')} ${was(tally.gone)} deleted meanwhile.`]
      : []),
  ].join(' ');
}

/** What a bulk deletion did. */
export interface DeletionTally {
  deleted: number;
  /** Selected contacts already gone when asked. */
  gone: number;
  /** Contacts kept because their journey runs could not be stopped. */
  kept: number;
}

/** The sentence after a bulk deletion: what went, then what did not and what to do. */
export function deletionOutcome(tally: DeletionTally): string {
  const was = (n: number) => (n === 1 ? 'was' : 'were');
  return [
    tally.deleted > 0 ? `Deleted ${countOf(tally.deleted, 'contact')}.` : 'Nothing was deleted:',
    ...(tally.gone > 0
      ? [`${countOf(tally.gone, 'contact')} ${was(tally.gone)} deleted already.`]
      : []),
    ...(tally.kept > 0
      ? [
          `${countOf(tally.kept, 'contact')} ${was(tally.kept)} kept because ${tally.kept === 1 ? 'its' : 'their'} journeys could not be stopped just now; they stay selected, try again in a moment.`,
        ]
      : []),
  ].join(' ');
}

/** What a bulk action did: how many were asked for, how many it changed, how many were gone. */
export interface BulkTally {
  asked: number;
  changed: number;
  /** Selected contacts the workspace no longer has (deleted since the list was shown). */
  gone: number;
}

/**
 * The sentence after a bulk action: what changed, then why the others did not.
 * `target` is the tag or the segment's name.
 */
export function bulkOutcome(
  action: Exclude<BulkAction, 'delete' | 'enrol'>,
  tally: BulkTally,
  target: string,
): string {
  const { changed } = tally;
  const unchanged = Math.max(0, tally.asked - tally.gone - changed);
  const was = (n: number) => (n === 1 ? 'was' : 'were');
  // After "nothing changed" there is no sentence for "it" to point back to.
  const tagName = `“${target}”`;
  const it = (name: string) => (changed === 0 ? name : 'it');
  const [done, rest] = (() => {
    switch (action) {
      case 'add_tag':
        return [
          `Tagged ${countOf(changed, 'contact')} ${tagName}.`,
          `${countOf(unchanged, 'contact')} already had ${it(tagName)}.`,
        ];
      case 'remove_tag':
        return [
          `Removed ${tagName} from ${countOf(changed, 'contact')}.`,
          `${countOf(unchanged, 'contact')} did not have ${it(tagName)}.`,
        ];
      case 'add_to_segment':
        return [
          `Added ${countOf(changed, 'contact')} to ${target}.`,
          `${countOf(unchanged, 'contact')} ${was(unchanged)} already in ${it(target)}.`,
        ];
      case 'remove_from_segment':
        return [
          `Took ${countOf(changed, 'contact')} out of ${target}.`,
          `${countOf(unchanged, 'contact')} ${was(unchanged)} not in ${it(target)}.`,
        ];
    }
  })();
  const gone =
    tally.gone > 0
      ? [`${countOf(tally.gone, 'contact')} ${was(tally.gone)} deleted meanwhile.`]
      : [];
  if (changed === 0)
    return ['Nothing changed:', ...(unchanged > 0 ? [rest] : []), ...gone].join(' ');
  return [done, ...(unchanged > 0 ? [rest] : []), ...gone].join(' ');
}

/**
 * Every id a paged list holds, page after page, up to `max`; `more` when some were left out.
 */
export async function gatherIds(
  page: (cursor: string | undefined) => Promise<{
    contacts: { id: string }[];
    nextCursor: string | null;
  }>,
  max: number,
): Promise<{ ids: string[]; more: boolean }> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const next = await page(cursor);
    ids.push(...next.contacts.map((c) => c.id));
    cursor = next.nextCursor ?? undefined;
  } while (cursor && ids.length < max);
  return { ids: ids.slice(0, max), more: cursor !== undefined || ids.length > max };
}
