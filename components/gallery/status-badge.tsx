import type { Generation } from "@/lib/scene/generation";

import { statusLabel } from "./describe";

const TONES: Record<Generation["status"], string> = {
  queued: "bg-canvas text-ink-soft",
  running: "bg-accent-soft text-accent-strong",
  succeeded: "bg-canvas text-ink-soft",
  failed: "bg-danger-soft text-danger",
  interrupted: "bg-draft-soft text-draft",
};

export function StatusBadge({ status }: { status: Generation["status"] }) {
  return (
    <span data-status={status} className={`rounded px-1.5 py-0.5 text-[11px] font-medium ${TONES[status]}`}>
      {statusLabel(status)}
    </span>
  );
}

export function EngineBadge({ engine }: { engine: Generation["engine"] }) {
  return engine === "local" ? (
    <span
      className="rounded bg-draft-soft px-1.5 py-0.5 text-[11px] font-medium text-draft"
      title="Local engine: a draft, not generative AI"
    >
      Draft
    </span>
  ) : (
    <span className="rounded bg-accent-soft px-1.5 py-0.5 text-[11px] font-medium text-accent-strong">
      Claid
    </span>
  );
}
