import { ApiFailure } from '../lib/api';
import type { SaveStatus } from './autosave';

/** Equal JSON values, whatever the order of their keys (the database keeps its own order). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left).filter((k) => left[k] !== undefined);
  return (
    keys.length === Object.keys(right).filter((k) => right[k] !== undefined).length &&
    keys.every((k) => sameJson(left[k], right[k]))
  );
}

/** True when the last save was refused because the draft was saved somewhere else meanwhile. */
export function isDraftConflict(status: SaveStatus): boolean {
  return (
    status.state === 'failed' &&
    status.error instanceof ApiFailure &&
    status.error.code === 'draft_changed'
  );
}

/**
 * Another tab or a teammate saved this journey after this editor opened it: nothing more is saved
 * here until the marketer picks whose version to go on with.
 */
export function DraftConflictBanner({
  onLoadSaved,
  onKeepMine,
  busy,
}: {
  onLoadSaved: () => void;
  onKeepMine: () => void;
  busy: boolean;
}) {
  return (
    <div className="banner bad" role="alert" data-draft-conflict>
      This journey was changed somewhere else (another tab, or a teammate) since you opened it, so
      your changes here are not saved.{' '}
      <button type="button" className="link-button" onClick={onLoadSaved} disabled={busy}>
        Load the saved version
      </button>{' '}
      (your changes here are dropped) or{' '}
      <button type="button" className="link-button" onClick={onKeepMine} disabled={busy}>
        Save mine over it
      </button>{' '}
      (the other changes are lost).
    </div>
  );
}
