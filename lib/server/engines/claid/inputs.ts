import "server-only";

import type { SceneCreateRequest } from "@/lib/scene/contract";

import { errors } from "../../errors";
import { mimeOfExt } from "../../storage/mime";
import { heldImageKey } from "../../storage/own-links";
import type { EngineContext } from "../types";
import { callClaid } from "./client";
import { MemoryUploadCache, type UploadCache } from "./upload-cache";

/** Claid's upload answer: `{ data: { output: { tmp_url, claid_storage_uri?, object_uri? } } }`. */
function uploadedUrl(json: unknown): string | undefined {
  const output = (json as { data?: { output?: Record<string, unknown> } } | null)?.data?.output;
  if (!output) return undefined;
  // A storage URI outlives the one-day tmp_url, so it is the better thing to hand to scene/create.
  for (const field of ["claid_storage_uri", "object_uri", "tmp_url"]) {
    const value = output[field];
    if (typeof value === "string" && value.length > 0) return value;
  }
  return undefined;
}

const defaultCache = new MemoryUploadCache();
/** Uploads in progress, so two requests with the same new image share one upload. */
const inFlight = new Map<string, Promise<string>>();

async function uploadStored(
  key: string,
  field: string,
  ctx: EngineContext,
  cache: UploadCache,
): Promise<{ url: string; uploaded: boolean }> {
  const sha256 = key.split(".")[0] ?? key;
  // The same bytes under another API account or base URL are a different upload.
  const cacheKey = `${ctx.config.CLAID_API_BASE_URL}\n${sha256}`;
  const cached = await cache.get(cacheKey);
  if (cached) return { url: cached, uploaded: false };

  const pending = inFlight.get(cacheKey);
  if (pending) return { url: await pending, uploaded: false };

  const upload = (async () => {
    const bytes = await ctx.storage.get(key);
    if (!bytes) throw errors.invalid(field, `The stored image ${key} does not exist`, "image_not_found");
    const ext = key.split(".")[1] ?? "bin";
    const form = new FormData();
    form.set("file", new Blob([new Uint8Array(bytes)], { type: mimeOfExt(ext) }), `image.${ext}`);
    form.set("data", JSON.stringify({ operations: {} }));
    // The platform's own multipart encoder, so boundaries and escaping are right by construction.
    const encoded = new Request("http://multipart.invalid/", { method: "POST", body: form });
    const body = new Uint8Array(await encoded.arrayBuffer());
    const contentType = encoded.headers.get("content-type") ?? "multipart/form-data";
    const answer = await callClaid(
      {
        path: "/v1/image/edit/upload",
        body,
        contentType,
        timeoutMs: ctx.config.CLAID_UPLOAD_TIMEOUT_MS,
        what: "upload",
      },
      {
        config: ctx.config,
        log: ctx.log,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        ...(ctx.pacer ? { pacer: ctx.pacer } : {}),
      },
    );
    const url = uploadedUrl(answer.json);
    if (!url) {
      throw errors.upstreamUnavailable("upload: the upstream answer has no image URL", {
        ...(answer.requestId ? { upstream_request_id: answer.requestId } : {}),
      });
    }
    await cache.set(cacheKey, url);
    return url;
  })();
  inFlight.set(cacheKey, upload);
  try {
    return { url: await upload, uploaded: true };
  } finally {
    inFlight.delete(cacheKey);
  }
}

/**
 * An image URL as Claid can reach it: an image held here (`backdrop://files/<key>`) through Claid's
 * upload API (once per content), any other URL as it is.
 */
export async function claidReachableUrl(
  url: string,
  field: string,
  ctx: EngineContext,
  cache: UploadCache = defaultCache,
): Promise<{ url: string; uploaded: boolean }> {
  const key = heldImageKey(url, ctx.config);
  return key ? uploadStored(key, field, ctx, cache) : { url, uploaded: false };
}

export type ResolvedInputs = { body: SceneCreateRequest; uploads: number };

/**
 * The body Claid receives: images held here (`backdrop://files/<key>`, or our own file links) replaced
 * by the URL Claid's upload API gave them; every other field exactly as validated.
 */
export async function resolveInputs(
  request: SceneCreateRequest,
  ctx: EngineContext,
  cache: UploadCache = defaultCache,
): Promise<ResolvedInputs> {
  const body = structuredClone(request);
  let uploads = 0;
  const objectKey = heldImageKey(body.object.image_url, ctx.config);
  const templateKey =
    "template_url" in body.scene ? heldImageKey(body.scene.template_url, ctx.config) : undefined;

  const [objectUrl, templateUrl] = await Promise.all([
    objectKey ? uploadStored(objectKey, "object.image_url", ctx, cache) : undefined,
    templateKey ? uploadStored(templateKey, "scene.template_url", ctx, cache) : undefined,
  ]);
  if (objectUrl) {
    body.object.image_url = objectUrl.url;
    if (objectUrl.uploaded) uploads++;
  }
  if (templateUrl && "template_url" in body.scene) {
    body.scene.template_url = templateUrl.url;
    if (templateUrl.uploaded) uploads++;
  }
  return { body, uploads };
}
