// The undo stack as plain data: the store keeps one and swaps snapshots in and out.

export interface History<T> {
  past: T[];
  future: T[];
  /** What the last recorded change was about, so keystrokes in one field make one undo step. */
  lastKey: string | null;
  lastAt: number;
}

export const HISTORY_LIMIT = 200;
/** Edits to the same field closer together than this are undone together. */
export const COALESCE_MS = 1_200;

export function emptyHistory<T>(): History<T> {
  return { past: [], future: [], lastKey: null, lastAt: 0 };
}

/**
 * Records `before` (the state the change started from). A change with the same `key` as the
 * previous one, soon after it, joins it instead of making a new step.
 */
export function record<T>(
  history: History<T>,
  before: T,
  options: { key?: string; now?: number } = {},
): History<T> {
  const now = options.now ?? Date.now();
  const key = options.key ?? null;
  if (key !== null && key === history.lastKey && now - history.lastAt < COALESCE_MS) {
    return { ...history, future: [], lastAt: now };
  }
  const past = [...history.past, before];
  if (past.length > HISTORY_LIMIT) past.splice(0, past.length - HISTORY_LIMIT);
  return { past, future: [], lastKey: key, lastAt: now };
}

/** Steps back: the snapshot to restore and the history after it, or null when there is nothing to undo. */
export function undo<T>(history: History<T>, current: T): { history: History<T>; state: T } | null {
  const state = history.past.at(-1);
  if (state === undefined) return null;
  return {
    state,
    history: {
      past: history.past.slice(0, -1),
      future: [current, ...history.future],
      lastKey: null,
      lastAt: 0,
    },
  };
}

/** Steps forward again after an undo. */
export function redo<T>(history: History<T>, current: T): { history: History<T>; state: T } | null {
  const [state, ...future] = history.future;
  if (state === undefined) return null;
  return {
    state,
    history: { past: [...history.past, current], future, lastKey: null, lastAt: 0 },
  };
}
