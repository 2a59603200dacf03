/** The server calls the composer makes, each answer checked against the shared schemas. */
import { z } from "zod";

import { ApiFailure, requestJson } from "@/components/ui/api-request";
import type { SceneCreateRequest } from "@/lib/scene/contract";
import type { Engine, Generation, UploadedImage } from "@/lib/scene/generation";
import { engineName, generation, uploadedImage } from "@/lib/scene/generation";

export { ApiFailure };

export function uploadFile(file: Blob): Promise<UploadedImage> {
  const form = new FormData();
  form.append("file", file);
  return requestJson(uploadedImage, "/api/uploads", { method: "POST", body: form });
}

export function importUrl(url: string): Promise<UploadedImage> {
  return requestJson(uploadedImage, "/api/imports", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ url }),
  });
}

export async function createGeneration(request: SceneCreateRequest, engine: Engine): Promise<Generation> {
  const body = await requestJson(z.object({ generation }), "/api/generations", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ request, engine }),
  });
  return body.generation;
}

export async function fetchGeneration(id: string): Promise<Generation> {
  const body = await requestJson(z.object({ generation }), `/api/generations/${encodeURIComponent(id)}`);
  return body.generation;
}

export const enginesInfo = z.object({
  default: engineName,
  available: z.object({ local: z.boolean(), claid: z.boolean() }),
});
export type EnginesInfo = z.output<typeof enginesInfo>;

export function fetchEngines(): Promise<EnginesInfo> {
  return requestJson(enginesInfo, "/api/engines");
}
