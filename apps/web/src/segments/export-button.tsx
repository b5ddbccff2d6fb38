import { useMutation } from '@tanstack/react-query';
import { segmentsApi } from './segment-api';

/** Downloads a segment's members as CSV (every member, with their properties as columns). */
export function ExportButton({ segmentId }: { segmentId: string }) {
  const download = useMutation({
    mutationFn: () => segmentsApi.exportCsv(segmentId),
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
        {download.isPending ? 'Preparing…' : 'Download CSV'}
      </button>
      {download.isError && (
        <span className="field-problems" role="alert">
          {download.error.message}
        </span>
      )}
    </span>
  );
}
