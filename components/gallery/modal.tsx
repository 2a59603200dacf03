"use client";

import { useEffect, useRef, type ReactNode } from "react";

/**
 * A native modal dialog: the browser traps focus, Escape closes it, and focus returns to whatever
 * opened it. `onClose` runs however it was closed.
 */
export function Modal({
  open,
  onClose,
  labelledBy,
  children,
  className = "",
  testId,
}: {
  open: boolean;
  onClose: () => void;
  labelledBy: string;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={labelledBy}
      data-testid={testId}
      onClose={onClose}
      onClick={(event) => {
        // A click on the backdrop (the dialog element itself, outside its content) closes it.
        if (event.target === event.currentTarget) onClose();
      }}
      className={`m-auto max-h-[92dvh] rounded-xl border border-canvas-line bg-canvas-panel p-0 text-ink shadow-2xl backdrop:bg-ink/50 ${className}`}
    >
      {open ? children : null}
    </dialog>
  );
}
