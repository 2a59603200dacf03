import type { SceneCreateRequest } from "@/lib/scene/contract";
import { storedImageKey } from "@/lib/scene/image-ref";
import { aspectRatioOf } from "@/lib/scene/placement";
import { sceneKindOf } from "@/lib/scene/vocabulary";

/** Lowercase words joined by dashes, for file names: `"Oak shelf, morning"` → `oak-shelf-morning`. */
export function slug(text: string, max = 40): string {
  const words = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return words.slice(0, max).replace(/-+$/, "");
}

/** The name an image URL's file gives a product, unless it is one of our content-addressed keys. */
function urlName(url: string): string | undefined {
  if (storedImageKey(url) !== undefined) return undefined;
  const path = url.split(/[?#]/)[0] ?? "";
  const last = path.split("/").filter(Boolean).at(-1) ?? "";
  let decoded = last;
  try {
    decoded = decodeURIComponent(last);
  } catch {
    // Not percent-encoded text: the name as it is.
  }
  const stem = decoded.replace(/\.[a-z0-9]+$/i, "");
  if (!stem || /^[0-9a-f]{32,}$/i.test(stem)) return undefined;
  return slug(stem) || undefined;
}

function promptText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null) {
    const p = value as { text?: unknown; generate?: unknown };
    if (typeof p.text === "string") return p.text;
    if (p.generate === true) return "autoprompt";
  }
  return undefined;
}

export function sceneName(scene: SceneCreateRequest["scene"]): string {
  const kind = sceneKindOf(scene);
  const text = "prompt" in scene ? promptText(scene.prompt) : undefined;
  if (text) return slug(text.split(/\s+/).slice(0, 6).join(" ")) || "scene";
  if (kind === "effect") {
    const colour = "color" in scene && typeof scene.color === "string" ? scene.color : "ffffff";
    return slug(`shadows ${colour}`);
  }
  if (kind === "template")
    return `template-${"template_mode" in scene ? (scene.template_mode ?? "transform") : "transform"}`;
  return "scene";
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The request's frame ratio (`1x1`); a template's is its output's shape. */
export function ratioName(request: SceneCreateRequest, output: { width: number; height: number }): string {
  if (sceneKindOf(request.scene) !== "template" && request.object.placement_type !== "original") {
    return aspectRatioOf(request.scene).replace(":", "x");
  }
  const d = gcd(output.width, output.height);
  const w = output.width / d;
  const h = output.height / d;
  return w <= 32 && h <= 32 ? `${w}x${h}` : `${output.width}x${output.height}`;
}

export type NamedSource = {
  outputId: string;
  request: SceneCreateRequest;
  width: number;
  height: number;
};

/**
 * `<product>-<scene>-<ratio>` for every output, in the order given. A product is named by its image
 * URL's file name; products stored here (named by content hash) are `product`, or `product-1`,
 * `product-2`… in order of appearance when the export has several.
 */
export function stemsOf(sources: readonly NamedSource[]): Map<string, string> {
  const unnamed: string[] = [];
  for (const s of sources) {
    const url = s.request.object.image_url;
    if (!urlName(url) && !unnamed.includes(url)) unnamed.push(url);
  }
  const stems = new Map<string, string>();
  for (const s of sources) {
    const url = s.request.object.image_url;
    const product = urlName(url) ?? (unnamed.length > 1 ? `product-${unnamed.indexOf(url) + 1}` : "product");
    stems.set(s.outputId, `${product}-${sceneName(s.request.scene)}-${ratioName(s.request, s)}`);
  }
  return stems;
}

/** Numbers the files of one folder: `stem-1`, `stem-2`… per stem, in the order asked. */
export function numbered(): (stem: string) => string {
  const seen = new Map<string, number>();
  return (stem) => {
    const n = (seen.get(stem) ?? 0) + 1;
    seen.set(stem, n);
    return `${stem}-${n}`;
  };
}
