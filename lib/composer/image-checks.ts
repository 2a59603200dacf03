/**
 * Whether every image a request names can be read, before Generate: each reference with the field
 * that names it, those still loading, and those that failed (with why), all at once. Pure, so the
 * rules are tested without a browser.
 */
import type { ComposerDoc } from "./doc";
import type { FieldErrors } from "./field-errors";
import type { ImageCache } from "./frame";

export type ImageField = "object.image_url" | "scene.template_url";
export type ImageReference = { field: ImageField; url: string };
export type ImageProblem = ImageReference & { message: string };
export type ImageChecks = { pending: ImageReference[]; problems: ImageProblem[] };

export const NO_IMAGE_CHECKS: ImageChecks = { pending: [], problems: [] };

/** The images the request names, with their fields (a template only in a template scene). */
export function imageReferences(doc: ComposerDoc): ImageReference[] {
  const references: ImageReference[] = [];
  if (doc.imageUrl) references.push({ field: "object.image_url", url: doc.imageUrl });
  if (doc.kind === "template" && doc.scene.template_url) {
    references.push({ field: "scene.template_url", url: doc.scene.template_url });
  }
  return references;
}

/** Images the browser can show and so must check: ours, and remote ones (imported by the server). */
export function isCheckable(url: string): boolean {
  return /^https?:\/\//i.test(url) || url.startsWith("backdrop:") || url.startsWith("/");
}

export function imageChecksOf(
  references: readonly ImageReference[],
  images: ImageCache,
  failures: Readonly<Record<string, string>>,
): ImageChecks {
  const pending: ImageReference[] = [];
  const problems: ImageProblem[] = [];
  for (const reference of references) {
    if (images[reference.url] || !isCheckable(reference.url)) continue;
    const failure = failures[reference.url];
    if (failure !== undefined) problems.push({ ...reference, message: failure });
    else pending.push(reference);
  }
  return { pending, problems };
}

/** Failed images as field errors, beside what the contract says of the other fields. */
export function imageCheckErrors(checks: ImageChecks): FieldErrors {
  return Object.fromEntries(checks.problems.map((p) => [p.field, p.message]));
}
