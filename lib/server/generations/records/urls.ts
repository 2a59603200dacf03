import { fileHref } from "@/lib/scene/image-ref";

export function thumbHref(key: string): string {
  return `${fileHref(key)}/thumb`;
}

export function downloadHref(key: string): string {
  return `${fileHref(key)}?download=1`;
}
