import { describe, expect, it } from 'vitest';
import type { Draft } from './canvas/draft';
import { savableDraft } from './savable-draft';

const draft = (name: string): Draft => ({ name, settings: {}, nodes: [], edges: [] });

describe('savableDraft', () => {
  it.each([
    ['a new name', 'Win-back', 'Win-back'],
    ['an emptied name', '', 'Reactivation'],
    ['a name of spaces', '   ', 'Reactivation'],
    ['a name with spaces around it', '  Win-back ', 'Win-back'],
    ['a name past 200 characters', 'x'.repeat(250), 'x'.repeat(200)],
  ])('saves %s as the API takes it', (_, typed, saved) => {
    expect(savableDraft(draft(typed), 'Reactivation').name).toBe(saved);
  });

  it('keeps the steps and settings as they are', () => {
    const steps = { ...draft(''), settings: { entryPolicy: 'once' } };
    expect(savableDraft(steps, 'Reactivation')).toEqual({ ...steps, name: 'Reactivation' });
  });
});
