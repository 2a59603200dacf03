import "server-only";

import { createHash } from "node:crypto";

import type { SceneCreateRequest } from "@/lib/scene/contract";
import type { Engine } from "@/lib/scene/generation";

/** JSON with every object's keys sorted: two requests that mean the same read the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * What makes two generations the same: the exact request and the engine. An identical later request
 * can reuse the images instead of paying for them again.
 */
export function requestKey(request: SceneCreateRequest, engine: Engine): string {
  return createHash("sha256")
    .update(`${engine}\n${canonicalJson(request)}`)
    .digest("hex");
}
