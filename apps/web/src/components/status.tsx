import { useQuery } from '@tanstack/react-query';
import { Fragment, type ReactElement } from 'react';
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

/**
 * The page of an editor for a new record (no `id`) or a saved one: the saved one is loaded
 * first, with the loading and error states, and the editor is keyed by it so that opening
 * another record starts a fresh form.
 */
export function NewOrSaved<T extends { id: string }>({
  id,
  what,
  queryKey,
  load,
  editor,
}: {
  id: string | undefined;
  /** "the segment": what is being loaded, for the loading line. */
  what: string;
  queryKey: readonly unknown[];
  load: (id: string) => Promise<T>;
  editor: (record: T | null) => ReactElement;
}) {
  const record = useQuery({
    queryKey,
    queryFn: () => load(id!),
    enabled: id !== undefined,
  });
  if (id === undefined) return editor(null);
  if (record.isPending) return <Loading what={what} />;
  if (record.isError)
    return <ErrorNotice error={record.error} onRetry={() => void record.refetch()} />;
  return <Fragment key={record.data.id}>{editor(record.data)}</Fragment>;
}
