import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * Asks before a change that cannot simply be undone (archive, delete, lift a suppression),
 * saying what follows from it. The action's failure shows inside the dialog, beside its cause.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  busy,
  error,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  /** The consequence, in the marketer's words. */
  children: ReactNode;
  confirmLabel: string;
  busy: boolean;
  error: Error | null;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="dialog" onClose={onClose} aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      <div>{children}</div>
      {/* The refusal in words only: a field name such as `key` means nothing to the reader here. */}
      {error && (
        <p className="notice error" role="alert">
          {error.message}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onClose} autoFocus>
          Cancel
        </button>
        <button type="button" className="danger" disabled={busy} onClick={onConfirm}>
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
