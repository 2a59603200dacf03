import type { ReactNode } from "react";

/** A titled block of a side panel. */
export function Section({
  title,
  actions,
  children,
  id,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
  id?: string;
}) {
  const headingId = id ? `${id}-title` : undefined;
  return (
    <section
      aria-labelledby={headingId}
      className="flex flex-col gap-3 border-b border-canvas-line px-4 py-4"
    >
      <div className="flex items-center justify-between gap-2">
        <h2 id={headingId} className="text-xs font-semibold tracking-wide text-ink uppercase">
          {title}
        </h2>
        {actions}
      </div>
      {children}
    </section>
  );
}
