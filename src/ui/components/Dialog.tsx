/**
 * A modal dialog on the native <dialog> element: focus trapping, Escape and the inert background come from the browser.
 * `persistent` (the proctor's notes) keeps it open until the page closes it: Escape does nothing, and if the
 * browser closes it anyway (a repeated Escape is allowed to) it opens again; otherwise such a close counts as a cancel,
 * so the page's state never says open while nothing is shown.
 */
import { useEffect, useRef, type ReactNode } from 'react';

export function Dialog(props: {
  open: boolean;
  labelledBy: string;
  /** The ids of what the dialog says, read out when it opens (rule 11: an alertdialog needs both). */
  describedBy?: string;
  /** 'alertdialog' for what interrupts the candidate and needs an answer (rule 13's warning). */
  role?: 'dialog' | 'alertdialog';
  onCancel: () => void;
  persistent?: boolean;
  children: ReactNode;
}) {
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
      role={props.role === 'alertdialog' ? 'alertdialog' : undefined}
      aria-labelledby={props.labelledBy}
      aria-describedby={props.describedBy}
      onCancel={(e) => {
        e.preventDefault();
        if (!props.persistent) props.onCancel();
      }}
      onClose={() => {
        if (!props.open) return; // closed by the page itself
        if (props.persistent) ref.current?.showModal();
        else props.onCancel();
      }}
    >
      {props.open ? props.children : null}
    </dialog>
  );
}
