/**
 * File names a person recognises in their downloads folder: the scene's first words, the aspect ratio
 * and the image's number (`marble-counter-morning-16x9-2.png`), the same for a single download and
 * inside a zip. Shared by the server, which sets them, and anything that shows them.
 */
import type { SceneCreateRequest } from "./contract";
import type { ImageEditRequest } from "./image-edit";
import { isEditShaped, isRecord } from "./vocabulary";

/** A generation's request: a scene, or an image edit (named after what it did). */
type NamedRequest = SceneCreateRequest | ImageEditRequest;

const MAX_WORDS = 6;
const MAX_STEM = 60;

/** Letters and digits of any script, lower-case, accents dropped, joined by hyphens; "" when none. */
export function nameWords(text: string, maxLength = MAX_STEM, maxWords = MAX_WORDS): string {
  const words =
    text
      .normalize("NFKD")
      .replace(/\p{M}/gu, "")
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  let out = "";
  for (const word of words.slice(0, maxWords)) {
    const next = out ? `${out}-${word}` : word;
    if (next.length > maxLength) break;
    out = next;
  }
  return out || (words[0] ?? "").slice(0, maxLength);
}

/** What the scene is, in words: its prompt, its effect and colour, or that it is a template. */
function sceneWords(request: SceneCreateRequest): string {
  const scene = request.scene as Record<string, unknown>;
  const prompt = scene.prompt;
  if (typeof prompt === "string") return prompt;
  if (prompt && typeof prompt === "object") {
    const { text, generate } = prompt as { text?: unknown; generate?: unknown };
    if (typeof text === "string" && text) return text;
    if (generate) return "auto prompt";
  }
  if (typeof scene.effect === "string")
    return `${scene.effect} ${typeof scene.color === "string" ? scene.color : ""}`;
  if (typeof scene.template_url === "string") return "template";
  return "scene";
}

/** The frame's ratio as a file name may hold it (`16x9`); none for a template, whose image is the frame. */
function ratioWord(request: SceneCreateRequest): string {
  const scene = request.scene as Record<string, unknown>;
  if (typeof scene.aspect_ratio === "string") return scene.aspect_ratio.replace(/[^0-9]+/g, "x");
  return typeof scene.template_url === "string" ? "" : "1x1";
}

/** An edit that removed the background is a cutout; any other edit is an edit. */
function editWords(request: ImageEditRequest): string {
  const background = request.operations?.background;
  return isRecord(background) && background.remove ? "cutout" : "edit";
}

function stemOf(request: NamedRequest, last: string): string {
  if (isEditShaped(request)) return `${editWords(request as ImageEditRequest)}-${last}`;
  const scene = request as SceneCreateRequest;
  return [nameWords(sceneWords(scene)) || "backdrop", ratioWord(scene), last].filter(Boolean).join("-");
}

/** One output's file name without its extension; `index` counts from 0, the name from 1. */
export function outputFileStem(request: NamedRequest, index: number): string {
  return stemOf(request, String(index + 1));
}

/** The folder of one generation inside a zip: its words and ratio, and the start of its id to keep it apart. */
export function generationFolderName(request: NamedRequest, generationId: string): string {
  return stemOf(request, generationId.replace(/[^0-9a-z]/gi, "").slice(0, 8));
}

/**
 * `Content-Disposition` for a download: an ASCII `filename` for old clients and the exact name in
 * `filename*`. `stem` is reduced to name words again, so a name from a query string cannot add quotes,
 * slashes or header breaks.
 */
export function attachmentDisposition(stem: string, ext: string): string {
  const words = nameWords(stem, MAX_STEM + 20, Infinity) || "backdrop";
  const safeExt = ext.replace(/[^a-z0-9]/gi, "").slice(0, 5);
  const ascii = words.replace(/[^a-z0-9-]+/g, "").replace(/^-+|-+$/g, "") || "backdrop";
  const full = `${words}.${safeExt}`;
  const disposition = `attachment; filename="${ascii}.${safeExt}"`;
  return ascii === words ? disposition : `${disposition}; filename*=UTF-8''${encodeURIComponent(full)}`;
}
