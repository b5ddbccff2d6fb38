import type { Draft } from './canvas/draft';

/** The longest journey name the API takes. */
export const NAME_MAX = 200;

/**
 * The draft as it is saved: a name left empty while the marketer retypes it keeps the last
 * saved name, so the canvas is saved all the same (the name field says so).
 */
export function savableDraft(draft: Draft, savedName: string): Draft {
  const name = draft.name.trim();
  return name === '' ? { ...draft, name: savedName } : { ...draft, name: name.slice(0, NAME_MAX) };
}
