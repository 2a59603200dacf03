"use client";

import { useState, type ReactNode } from "react";

/**
 * Options most people leave alone, folded away. It opens by itself when one of them has a problem
 * (an imported request, say), and stays open while it is being fixed.
 */
export function Advanced({ id, hasError, children }: { id: string; hasError: boolean; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  if (hasError && !open) setOpen(true);
  return (
    <details
      id={id}
      open={open}
      onToggle={(event) => setOpen(event.currentTarget.open)}
      className="group rounded-md border border-canvas-line"
      data-testid={id}
    >
      <summary className="flex cursor-pointer list-none items-center justify-between px-2 py-1.5 text-xs font-medium text-ink-soft select-none">
        Advanced
        <span aria-hidden className="text-ink-muted transition-transform group-open:rotate-90">
          ›
        </span>
      </summary>
      <div className="flex flex-col gap-3 border-t border-canvas-line p-2">{children}</div>
    </details>
  );
}
