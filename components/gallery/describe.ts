/** Plain-text facts about a generation's request, for cards and the detail view. */
import type { SceneCreateRequest } from "@/lib/scene/contract";
import type { Generation } from "@/lib/scene/generation";
import type { ImageEditRequest } from "@/lib/scene/image-edit";
import { imagesRequested, isEditShaped } from "@/lib/scene/vocabulary";

type AnyRequest = SceneCreateRequest | ImageEditRequest;

function isEdit(request: AnyRequest): request is ImageEditRequest {
  return isEditShaped(request);
}

/** What an image edit does, in words: "Image edit: background removed, padding 10%". */
export function editSummary(request: ImageEditRequest): string {
  const operations = request.operations ?? {};
  const parts: string[] = [];
  const background = operations.background;
  if (background?.remove) parts.push(`background removed${background.color ? ` (${background.color})` : ""}`);
  else if (background?.color) parts.push(`background ${background.color}`);
  if (operations.padding) parts.push(`padding ${operations.padding}`);
  if (operations.resizing) {
    const { width = "auto", height = "auto" } = operations.resizing;
    parts.push(`resized to ${width} × ${height}`);
  }
  for (const name of Object.keys(operations)) {
    if (!["background", "padding", "resizing"].includes(name)) parts.push(name.replace(/_/g, " "));
  }
  return parts.length ? `Image edit: ${parts.join(", ")}` : "Image edit";
}

export function promptOf(request: AnyRequest): string {
  if (isEdit(request)) return editSummary(request);
  const scene = request.scene as Record<string, unknown>;
  const prompt = scene.prompt;
  if (typeof prompt === "string") return prompt;
  if (prompt && typeof prompt === "object") {
    const p = prompt as { text?: string; generate?: boolean };
    if (p.text) return p.text;
    if (p.generate) return "Prompt generated from the image";
  }
  if (typeof scene.effect === "string")
    return `Effect: ${scene.effect}${typeof scene.color === "string" ? ` on ${scene.color}` : ""}`;
  if (typeof scene.template_url === "string") return "Template scene";
  return "Scene";
}

export function sceneKind(request: AnyRequest): "prompt" | "template" | "effect" | "edit" {
  if (isEdit(request)) return "edit";
  const scene = request.scene as Record<string, unknown>;
  if ("effect" in scene) return "effect";
  if ("template_url" in scene) return "template";
  return "prompt";
}

/** The options worth seeing at a glance: aspect, format, image count, placement. */
export function keyOptions(request: AnyRequest): string[] {
  if (isEdit(request)) {
    const format = typeof request.output === "object" ? request.output.format : undefined;
    return ["image edit", typeof format === "string" ? format : (format?.type ?? "same format")];
  }
  const scene = request.scene as Record<string, unknown>;
  const output = typeof request.output === "object" ? request.output : undefined;
  const format = output?.format;
  const formatName = typeof format === "string" ? format : (format?.type ?? "png");
  const placement = (request.object as { placement_type?: string }).placement_type ?? "absolute";
  return [
    typeof scene.aspect_ratio === "string"
      ? scene.aspect_ratio
      : sceneKind(request) === "template"
        ? "template frame"
        : "1:1",
    formatName,
    `${imagesRequested(request)}×`,
    placement,
  ];
}

export function statusLabel(status: Generation["status"]): string {
  return {
    queued: "Queued",
    running: "Running",
    succeeded: "Done",
    failed: "Failed",
    interrupted: "Interrupted",
  }[status];
}

export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return "–";
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return "–";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function formatWhen(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}
