import "server-only";

import type { SceneCreateRequest } from "@/lib/scene/contract";
import { isImageEditRequest, type ImageEditRequest } from "@/lib/scene/image-edit";

function promptWords(prompt: unknown): string[] {
  if (typeof prompt === "string") return [prompt];
  if (prompt && typeof prompt === "object") {
    const { text, guidelines } = prompt as { text?: string; guidelines?: string };
    return [text, guidelines].filter((v): v is string => typeof v === "string");
  }
  return [];
}

/** An image edit is found by what it did: "image edit", its operations and its background colour. */
function editWords(request: ImageEditRequest): string[] {
  const operations = Object.keys(request.operations ?? {}).map((name) => name.replace(/_/g, " "));
  const background = request.operations?.background;
  return [
    "image edit",
    ...operations,
    ...(background?.remove ? ["remove background"] : []),
    ...(background?.color ? [background.color] : []),
  ];
}

/**
 * The words the gallery's text filter looks through: prompt, guidelines, negative prompt, effect,
 * colour; for an image edit, its operations.
 */
export function searchableText(request: SceneCreateRequest | ImageEditRequest): string {
  if (isImageEditRequest(request)) return editWords(request).join("\n").slice(0, 8000);
  const scene = request.scene as Record<string, unknown>;
  const parts = [
    ...promptWords(scene.prompt),
    typeof scene.negative_prompt === "string" ? scene.negative_prompt : undefined,
    typeof scene.effect === "string" ? scene.effect : undefined,
    typeof scene.color === "string" ? scene.color : undefined,
  ].filter((v): v is string => Boolean(v));
  return parts.join("\n").slice(0, 8000);
}

/**
 * The frame's aspect ratio when the request decides it (prompt and effect scenes, default 1:1); template
 * scenes and `original` placement take it from an image, so it is unknown until the output exists.
 */
export function requestAspectRatio(request: SceneCreateRequest): string | null {
  if ((request.object as { placement_type?: string }).placement_type === "original") return null;
  const scene = request.scene as { aspect_ratio?: string; template_url?: string };
  if (scene.template_url !== undefined) return null;
  return scene.aspect_ratio ?? "1:1";
}
