/** A modal dialog on the native <dialog> element: focus trapping, Escape and the inert background come from the browser. */
import { useEffect, useRef, type ReactNode } from 'react';

export function Dialog(props: { open: boolean; labelledBy: string; onCancel: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={props.labelledBy}
      onCancel={(e) => {
        e.preventDefault();
        props.onCancel();
      }}
    >
      {props.open ? props.children : null}
    </dialog>
  );
}
