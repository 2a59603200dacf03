/** The server calls the composer makes, each answer checked against the shared schemas. */
import { z } from "zod";

import type { HttpErrorDetails, SceneCreateRequest } from "@/lib/scene/contract";
import { httpErrorDetails } from "@/lib/scene/contract";
import type { Engine, Generation, UploadedImage } from "@/lib/scene/generation";
import { engineName, generation, uploadedImage } from "@/lib/scene/generation";

/** A failed call, carrying the server's (or the upstream's) error envelope. */
export class ApiFailure extends Error {
  override name = "ApiFailure";
  constructor(
    readonly status: number,
    readonly details: HttpErrorDetails,
  ) {
    super(details.error_message);
  }
}

async function call<T>(schema: z.ZodType<T>, input: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(input, { ...init, headers: { accept: "application/json", ...init?.headers } });
  } catch {
    throw new ApiFailure(0, {
      error_code: "network_error",
      error_type: "general",
      error_message: "Could not reach the server. Check your connection and try again.",
    });
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const details = httpErrorDetails.safeParse(body);
    throw new ApiFailure(
      response.status,
      details.success
        ? details.data
        : {
            error_code: `http_${response.status}`,
            error_type: "general",
            error_message: response.statusText || "Request failed",
          },
    );
  }
  return schema.parse(body);
}

export function uploadFile(file: Blob): Promise<UploadedImage> {
  const form = new FormData();
  form.append("file", file);
  return call(uploadedImage, "/api/uploads", { method: "POST", body: form });
}

export function importUrl(url: string): Promise<UploadedImage> {
  return call(uploadedImage, "/api/imports", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ url }),
  });
}

export async function createGeneration(request: SceneCreateRequest, engine: Engine): Promise<Generation> {
  const body = await call(z.object({ generation }), "/api/generations", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ request, engine }),
  });
  return body.generation;
}

export async function fetchGeneration(id: string): Promise<Generation> {
  const body = await call(z.object({ generation }), `/api/generations/${encodeURIComponent(id)}`);
  return body.generation;
}

export const enginesInfo = z.object({
  default: engineName,
  available: z.object({ local: z.boolean(), claid: z.boolean() }),
});
export type EnginesInfo = z.output<typeof enginesInfo>;

export function fetchEngines(): Promise<EnginesInfo> {
  return call(enginesInfo, "/api/engines");
}
