import { useMutation } from '@tanstack/react-query';
import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * Asks before a change that cannot simply be undone (archive, delete, lift a suppression),
 * saying what follows from it, then runs it. A refusal shows inside the dialog, beside its cause.
 */
export function ConfirmDialog<T>({
  open,
  title,
  children,
  confirmLabel,
  action,
  onDone,
  onClose,
  progress,
}: {
  open: boolean;
  title: string;
  /** The consequence, in the marketer's words. */
  children: ReactNode;
  confirmLabel: string;
  action: () => Promise<T>;
  /** After the action succeeded, with its result (refresh lists, navigate); the dialog closes afterwards. */
  onDone: (result: T) => Promise<unknown> | void;
  onClose: () => void;
  /** While the action runs: how far it got ("120 of 4,000 deleted"). */
  progress?: string | undefined;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const run = useMutation({
    mutationFn: action,
    onSuccess: async (result) => {
      await onDone(result);
      onClose();
    },
  });
  const { reset } = run;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      reset();
      dialog.showModal();
    }
    if (!open && dialog.open) dialog.close();
  }, [open, reset]);
  return (
    <dialog ref={ref} className="dialog" onClose={onClose} aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      <div>{children}</div>
      {run.isPending && progress && (
        <p className="muted" role="status">
          {progress}
        </p>
      )}
      {/* The refusal in words only: a field name such as `key` means nothing to the reader here. */}
      {run.error && (
        <p className="notice error" role="alert">
          {run.error.message}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onClose} autoFocus>
          Cancel
        </button>
        <button
          type="button"
          className="danger"
          disabled={run.isPending}
          onClick={() => run.mutate()}
        >
          {run.isPending ? 'Working…' : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
