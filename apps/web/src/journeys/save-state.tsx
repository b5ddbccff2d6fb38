import type { SaveStatus } from './autosave';

/** "Saved", "Saving…", or what went wrong with a retry button. */
export function SaveState({ status, onRetry }: { status: SaveStatus; onRetry: () => void }) {
  switch (status.state) {
    case 'saved':
      return <span className="save-state ok">All changes saved</span>;
    case 'pending':
    case 'saving':
      return (
        <span className="save-state" role="status">
          Saving…
        </span>
      );
    case 'failed':
      return (
        <span className="save-state bad" role="alert">
          Not saved: {status.error.message}{' '}
          <button type="button" className="link-button" onClick={onRetry}>
            Retry
          </button>
        </span>
      );
    default: {
      const never: never = status;
      return never;
    }
  }
}
