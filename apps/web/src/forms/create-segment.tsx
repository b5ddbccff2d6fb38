import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiFailure, api, call } from '../lib/api';
import { catalogKeys } from '../lib/catalog';

/**
 * Creates a static segment without leaving the canvas ("Move to Reactivation" needs a
 * Reactivation list first), then hands its id back.
 */
export function CreateSegmentInline({
  onCreated,
  onCancel,
}: {
  onCreated: (id: string) => void;
  onCancel: () => void;
}) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function create() {
    setBusy(true);
    setProblem(null);
    try {
      const segment = await call(api.api.segments.$post({ json: { kind: 'static', name } }));
      await queryClient.invalidateQueries({ queryKey: catalogKeys.segments });
      await queryClient.invalidateQueries({ queryKey: ['segments'] });
      onCreated(segment.id);
    } catch (error) {
      setProblem(
        error instanceof ApiFailure && error.issues[0]
          ? error.issues[0].message
          : String((error as Error).message),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="create-inline">
      <input
        aria-label="Name of the new list"
        placeholder="Reactivation"
        value={name}
        autoFocus
        onChange={(e) => setName(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            void create();
          }
          if (e.key === 'Escape') onCancel();
        }}
      />
      <button
        type="button"
        className="primary"
        disabled={busy || name.trim() === ''}
        onClick={() => void create()}
      >
        Create
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      {problem && (
        <p className="field-problems" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
