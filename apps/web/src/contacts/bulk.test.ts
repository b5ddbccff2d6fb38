import { describe, expect, it } from 'vitest';
import { bulkOutcome, deletionOutcome, enrolmentOutcome, gatherIds } from './bulk';

describe('what a bulk action says it did', () => {
  it.each([
    ['add_tag', { asked: 3, changed: 3, gone: 0 }, 'vip', 'Tagged 3 contacts “vip”.'],
    [
      'add_tag',
      { asked: 3, changed: 1, gone: 0 },
      'vip',
      'Tagged 1 contact “vip”. 2 contacts already had it.',
    ],
    [
      'remove_tag',
      { asked: 2, changed: 1, gone: 0 },
      'lead',
      'Removed “lead” from 1 contact. 1 contact did not have it.',
    ],
    [
      'add_to_segment',
      { asked: 1200, changed: 1199, gone: 0 },
      'Newsletter',
      'Added 1,199 contacts to Newsletter. 1 contact was already in it.',
    ],
    [
      'remove_from_segment',
      { asked: 4, changed: 1, gone: 1 },
      'Newsletter',
      'Took 1 contact out of Newsletter. 2 contacts were not in it. 1 contact was deleted meanwhile.',
    ],
    [
      'add_to_segment',
      { asked: 2, changed: 0, gone: 0 },
      'Newsletter',
      'Nothing changed: 2 contacts were already in Newsletter.',
    ],
    [
      'remove_tag',
      { asked: 1, changed: 0, gone: 0 },
      'vip',
      'Nothing changed: 1 contact did not have “vip”.',
    ],
    [
      'add_tag',
      { asked: 1, changed: 0, gone: 1 },
      'vip',
      'Nothing changed: 1 contact was deleted meanwhile.',
    ],
  ] as const)('%s %j', (action, tally, target, sentence) => {
    expect(bulkOutcome(action, tally, target)).toBe(sentence);
  });
});

describe('what a bulk deletion says it did', () => {
  it.each([
    [{ deleted: 3, gone: 0, kept: 0 }, 'Deleted 3 contacts.'],
    [{ deleted: 1, gone: 1, kept: 0 }, 'Deleted 1 contact. 1 contact was deleted already.'],
    [
      { deleted: 2, gone: 0, kept: 1 },
      'Deleted 2 contacts. 1 contact was kept because its journeys could not be stopped just now; they stay selected, try again in a moment.',
    ],
    [
      { deleted: 0, gone: 0, kept: 2 },
      'Nothing was deleted: 2 contacts were kept because their journeys could not be stopped just now; they stay selected, try again in a moment.',
    ],
  ])('%j', (tally, sentence) => {
    expect(deletionOutcome(tally)).toBe(sentence);
  });
});

describe('what enrolling the selection says it did', () => {
  const none = { started: 0, alreadyIn: 0, refused: 0, notStarted: 0, gone: 0 };
  it.each([
    [{ ...none, started: 3 }, 'Enrolled 3 contacts in “Welcome”.'],
    [
      { ...none, started: 1, alreadyIn: 2, gone: 1 },
      'Enrolled 1 contact in “Welcome”. 2 contacts were already going through it. 1 contact was deleted meanwhile.',
    ],
    [
      { ...none, alreadyIn: 1, refused: 1 },
      'Nobody was enrolled: 1 contact was already going through “Welcome”. 1 contact may not enter “Welcome” again yet, as its entry settings say.',
    ],
    [
      { ...none, started: 2, notStarted: 3 },
      'Enrolled 2 contacts in “Welcome”. 3 contacts could not be enrolled just now (the workflow service did not answer): enrol them again in a moment.',
    ],
  ])('%j', (tally, sentence) => {
    expect(enrolmentOutcome(tally, 'Welcome')).toBe(sentence);
  });
});

describe('selecting every contact that matches', () => {
  // A list of `total` contacts served `size` a page, as the contacts API pages them.
  const pages = (total: number, size: number) => {
    const asked: (string | undefined)[] = [];
    const page = (cursor: string | undefined) => {
      asked.push(cursor);
      const from = cursor ? Number(cursor) : 0;
      const to = Math.min(total, from + size);
      const contacts = Array.from({ length: to - from }, (_, i) => ({ id: `c${from + i}` }));
      return Promise.resolve({ contacts, nextCursor: to < total ? String(to) : null });
    };
    return { page, asked };
  };

  it('gathers every page when the match fits', async () => {
    const { page, asked } = pages(450, 200);
    const { ids, more } = await gatherIds(page, 1000);
    expect(ids).toHaveLength(450);
    expect(new Set(ids).size).toBe(450);
    expect(more).toBe(false);
    expect(asked).toEqual([undefined, '200', '400']);
  });

  it('stops at the cap and says that more matched', async () => {
    const { page, asked } = pages(1500, 200);
    expect(await gatherIds(page, 1000)).toMatchObject({ more: true });
    expect((await gatherIds(page, 1000)).ids).toHaveLength(1000);
    expect(asked.filter((c) => c === undefined)).toHaveLength(2);
    expect(asked).toHaveLength(10);
  });
});
