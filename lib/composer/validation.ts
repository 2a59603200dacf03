/**
 * Field-level messages from the shared contract: the form shows each next to the control whose path
 * it names ("scene.steps", "output.format.quality", …).
 */
import type { z } from "zod";

import type { SceneCreateRequest } from "@/lib/scene/contract";
import { renderableRequest } from "@/lib/scene/contract";

import type { FieldErrors } from "./field-errors";

export type { FieldErrors } from "./field-errors";
export { errorFor } from "./field-errors";

type Issue = z.core.$ZodIssue;

/** A union reports "no variant matched"; the first variant's own reason says more to a person. */
function messageOf(issue: Issue): string {
  if (issue.code === "invalid_union") {
    const first = issue.errors[0]?.[0];
    if (first) return messageOf(first);
  }
  return issue.message;
}

export function issuesToFieldErrors(issues: readonly Issue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join(".") || "request";
    errors[key] ??= messageOf(issue);
  }
  return errors;
}

export type Validation = { ok: true; request: SceneCreateRequest } | { ok: false; errors: FieldErrors };

/** The composed (or imported) body, judged by the contract and its written rules, as the server will. */
export function validateRequest(body: unknown): Validation {
  const parsed = renderableRequest.safeParse(body);
  return parsed.success
    ? { ok: true, request: parsed.data }
    : { ok: false, errors: issuesToFieldErrors(parsed.error.issues) };
}
