import { useQuery } from '@tanstack/react-query';
import { Fragment, type ReactElement } from 'react';
import { errorText, type ErrorTextOptions } from './error-text';

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      Loading {what}…
    </p>
  );
}

/**
 * A failure in words: one plain heading and each problem once, named by what it is about (never
 * by its field path). Problems a form shows beside their field are left out (`shownBeside`).
 */
export function ErrorNotice({
  error,
  onRetry,
  ...options
}: { error: Error; onRetry?: () => void } & ErrorTextOptions) {
  const { heading, detail, problems } = errorText(error, options);
  return (
    <div className="notice error" role="alert">
      <strong>{heading}</strong>
      {detail && <p>{detail}</p>}
      {problems.length > 0 && (
        <ul>
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
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
