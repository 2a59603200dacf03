import "server-only";

import { RESIZE_FITS, type ImageEditRequest } from "@/lib/scene/image-edit";
import { isRecord } from "@/lib/scene/vocabulary";

/** Fits the local engine draws; Claid's `{ "crop": "center" }` is the default crop spelled out. */
export type LocalFit = (typeof RESIZE_FITS)[number];

export function localFit(fit: unknown): LocalFit | undefined {
  if (fit === undefined) return "crop";
  if (typeof fit === "string")
    return (RESIZE_FITS as readonly string[]).includes(fit) ? (fit as LocalFit) : undefined;
  if (isRecord(fit) && Object.keys(fit).length === 1 && fit.crop === "center") return "crop";
  return undefined;
}

const isEmpty = (value: unknown) =>
  value === undefined || (isRecord(value) && Object.keys(value).length === 0);

function extraKeys(value: Record<string, unknown>, known: readonly string[], prefix: string): string[] {
  return Object.keys(value)
    .filter((key) => !known.includes(key) && value[key] !== undefined)
    .map((key) => `${prefix}.${key}`);
}

/**
 * Every field of an edit the local engine does not implement, by its path. What it implements:
 * `background.remove` (true, or `{ category, clipping }`), `background.color`, `padding`, `resizing`
 * (`width`, `height`, and the fits crop, bounds, cover and canvas) and the output's `format` and
 * `destination`. Claid-only operations (restorations, adjustments, privacy, …) and selective removal
 * are named here, so the request is refused rather than half done.
 */
export function unsupportedOnLocal(request: ImageEditRequest): string[] {
  const fields: string[] = [];
  for (const [name, value] of Object.entries(request.operations ?? {})) {
    if (isEmpty(value)) continue;
    if (name === "padding") continue;
    if (name === "background" && isRecord(value)) {
      fields.push(...extraKeys(value, ["remove", "color"], "operations.background"));
      const remove = value.remove;
      if (isRecord(remove)) {
        fields.push(...extraKeys(remove, ["category", "clipping"], "operations.background.remove"));
      }
      continue;
    }
    if (name === "resizing" && isRecord(value)) {
      fields.push(...extraKeys(value, ["width", "height", "fit"], "operations.resizing"));
      if (localFit(value.fit) === undefined) fields.push("operations.resizing.fit");
      continue;
    }
    fields.push(`operations.${name}`);
  }
  if (isRecord(request.output))
    fields.push(...extraKeys(request.output, ["format", "destination"], "output"));
  return fields;
}
