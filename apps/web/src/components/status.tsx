import { ApiFailure } from '../lib/api';

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      Loading {what}…
    </p>
  );
}

/** An API failure in words, with the field problems and request id when there are some. */
export function ErrorNotice({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  const issues = error instanceof ApiFailure ? error.issues : [];
  return (
    <div className="notice error" role="alert">
      <strong>{error.message}</strong>
      {issues.length > 0 && (
        <ul>
          {issues.map((issue) => (
            <li key={`${issue.field}:${issue.message}`}>
              <code>{issue.field}</code>: {issue.message}
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
