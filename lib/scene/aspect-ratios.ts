/**
 * Aspect ratios. The OpenAPI enum is what the composer offers; the prose reference lists another set.
 * The server accepts either (it is a proxy: being stricter than the upstream blocks real use). The local
 * engine renders all of them at their exact ratio (see `frameSizeForAspect`).
 */
export const SCHEMA_ASPECT_RATIOS = [
  "21:9",
  "1:1",
  "4:3",
  "3:2",
  "2:3",
  "5:4",
  "4:5",
  "3:4",
  "16:9",
  "9:16",
] as const;
export const PROSE_ONLY_ASPECT_RATIOS = ["4:7", "7:9", "9:7", "19:13", "7:4", "12:5"] as const;
export const ASPECT_RATIOS = [...SCHEMA_ASPECT_RATIOS, ...PROSE_ONLY_ASPECT_RATIOS] as const;

export type AspectRatio = (typeof ASPECT_RATIOS)[number];
export const DEFAULT_ASPECT_RATIO: AspectRatio = "1:1";

export function parseAspectRatio(ratio: AspectRatio): { w: number; h: number } {
  const [w, h] = ratio.split(":").map(Number);
  return { w: w ?? 1, h: h ?? 1 };
}
