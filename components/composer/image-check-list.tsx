"use client";

import type { ImageChecks, ImageField } from "@/lib/composer/image-checks";

const FIELD_NAMES: Record<ImageField, string> = {
  "object.image_url": "Product image",
  "scene.template_url": "Template image",
};

/** Every image of the request that is still loading or could not be read, each with its field. */
export function ImageCheckList({ checks }: { checks: ImageChecks }) {
  if (checks.problems.length === 0 && checks.pending.length === 0) return null;
  return (
    <ul className="flex flex-col gap-1 text-xs" data-testid="image-checks" aria-label="Images in the request">
      {checks.problems.map((problem) => (
        <li key={problem.field} className="text-danger" data-field={problem.field}>
          <span className="font-medium">{FIELD_NAMES[problem.field]}</span> (<code>{problem.field}</code>):{" "}
          {problem.message}
        </li>
      ))}
      {checks.pending.map((reference) => (
        <li key={reference.field} className="text-ink-muted" role="status" data-field={reference.field}>
          {FIELD_NAMES[reference.field]}: loading…
        </li>
      ))}
    </ul>
  );
}
