import { useMutation } from '@tanstack/react-query';
import { authorisedFetch, read } from '../lib/api';

/** A CSV (or other file) the API streams, fetched with the session's credentials. */
export async function fetchDownload(path: string, fallbackName: string) {
  const response = await authorisedFetch(path);
  if (!response.ok) await read(Promise.resolve(response));
  return {
    blob: await response.blob(),
    filename:
      /filename\*=UTF-8''([^;]+)/.exec(response.headers.get('content-disposition') ?? '')?.[1] ??
      fallbackName,
  };
}

/** Downloads what `path` answers (a segment's members, the contacts a search shows) as a file. */
export function DownloadButton({
  path,
  fallbackName,
  label = 'Download CSV',
}: {
  path: string;
  fallbackName: string;
  label?: string;
}) {
  const download = useMutation({
    mutationFn: () => fetchDownload(path, fallbackName),
    onSuccess: ({ blob, filename }) => {
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = decodeURIComponent(filename);
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
  });
  return (
    <span className="export-button">
      <button type="button" disabled={download.isPending} onClick={() => download.mutate()}>
        {download.isPending ? 'Preparing…' : label}
      </button>
      {download.isError && (
        <span className="field-problems" role="alert">
          {download.error.message}
        </span>
      )}
    </span>
  );
}
