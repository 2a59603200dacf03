import { fileHref } from "@/lib/scene/image-ref";

export function thumbHref(key: string): string {
  return `${fileHref(key)}/thumb`;
}

/** The file saved under `stem` (a name without extension, see `lib/scene/download-name`). */
export function downloadHref(key: string, stem: string): string {
  return `${fileHref(key)}?download=1&name=${encodeURIComponent(stem)}`;
}
