import type { FieldProblem } from '../forms/field';
import type { Scoring, ScoringBody } from './scoring-api';

type SavedRule = Scoring['rules'][number];

/** A rule as the page edits it: points as typed, the window empty for "all time". */
export interface RuleDraft {
  name: string;
  event: string;
  points: string;
  within: string;
  filter: SavedRule['filter'];
}
export interface TagDraft {
  tag: string;
  minScore: string;
}
export interface ScoringDraft {
  rules: RuleDraft[];
  tags: TagDraft[];
}

export function draftOf(saved: Scoring): ScoringDraft {
  return {
    rules: saved.rules.map((rule) => ({
      name: rule.name,
      event: rule.event,
      points: String(rule.points),
      within: rule.within ?? '',
      filter: rule.filter,
    })),
    tags: saved.tags.map((t) => ({ tag: t.tag, minScore: String(t.minScore) })),
  };
}

const WHOLE = /^-?\d+$/;

/**
 * What the page can tell before asking the server: numbers that are not whole numbers. The
 * server names everything else (empty names, unknown durations, a tag twice).
 */
export function numberProblems(draft: ScoringDraft): FieldProblem[] {
  return [
    ...draft.rules.flatMap((rule, i) =>
      WHOLE.test(rule.points.trim())
        ? []
        : [{ field: `rules.${i}.points`, message: 'Enter whole points, such as 10 or -5' }],
    ),
    ...draft.tags.flatMap((tag, i) =>
      WHOLE.test(tag.minScore.trim())
        ? []
        : [{ field: `tags.${i}.minScore`, message: 'Enter a whole score, such as 50' }],
    ),
  ];
}

/** The PUT body; call once numberProblems() is empty. */
export function bodyOf(draft: ScoringDraft): ScoringBody {
  return {
    rules: draft.rules.map((rule) => ({
      name: rule.name,
      event: rule.event,
      points: Number(rule.points),
      ...(rule.within.trim() ? { within: rule.within.trim() } : {}),
      ...(rule.filter ? { filter: rule.filter } : {}),
    })),
    tags: draft.tags.map((t) => ({ tag: t.tag, minScore: Number(t.minScore) })),
  };
}
