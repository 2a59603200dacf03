import type { ReactNode } from "react";

/**
 * A labelled control with its hint and its validation message. The message is announced with the
 * control (aria-describedby) so it reads next to the field, not in a list somewhere else.
 */
export function Field({
  id,
  label,
  hint,
  error,
  children,
  inline = false,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  children: (describedBy: string | undefined, invalid: boolean) => ReactNode;
  inline?: boolean;
}) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={inline ? "flex items-center justify-between gap-3" : "flex flex-col gap-1"}>
      <label htmlFor={id} className="text-xs font-medium text-ink-soft">
        {label}
      </label>
      {children(describedBy, Boolean(error))}
      {error ? (
        <p id={errorId} role="alert" className="text-xs text-danger" data-field-error={id}>
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={hintId} className="text-xs text-ink-muted">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export const controlClass =
  "h-8 w-full rounded-md border border-canvas-line bg-canvas-panel px-2 text-sm text-ink outline-none focus-visible:border-accent focus-visible:outline-2 focus-visible:outline-accent aria-[invalid=true]:border-danger disabled:bg-canvas disabled:text-ink-muted";
