import { useEffect, useRef } from 'react';

/**
 * A `<dialog>` shown as a modal while `open`: `onOpen` runs just before it shows (to reset its
 * fields), and it closes when `open` turns false. Returns the ref to put on the dialog.
 */
export function useModal(open: boolean, onOpen: () => void) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      onOpen();
      dialog.showModal();
    }
    if (!open && dialog.open) dialog.close();
  }, [open, onOpen]);
  return ref;
}
