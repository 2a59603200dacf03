import "server-only";

import { storedImageKey } from "@/lib/scene/image-ref";

import type { Config } from "../../config";
import { ApiError, isApiError } from "../../errors";
import { guardedFetch } from "../../net/guarded-fetch";
import type { ObjectStore } from "../../storage";
import { sha256Hex } from "../../storage";
import { isStorageUri, readStorageFile, resolveStorageUri } from "./storages";

export type InputBytes = { bytes: Buffer; sha256: string; storedKey?: string };

/** Names the request field in an input error, so the client knows which URL failed. */
export function inputError(error: unknown, field: string): unknown {
  if (!isApiError(error)) return error;
  const fields = { [field]: [error.message] };
  if (error.status === 415) {
    return new ApiError(422, "unsupported_image", "image", error.message, { ...error.details, fields });
  }
  return new ApiError(
    error.status,
    error.code,
    error.type,
    error.message,
    { ...error.details, fields },
    error.headers,
  );
}

/**
 * The bytes behind an `image_url` / `template_url`: our own storage (`backdrop://files/<key>`), a
 * configured storage (`storage://NAME/path`), or http(s) through the guarded fetcher.
 */
export async function readInput(
  url: string,
  field: string,
  deps: { config: Config; storage: ObjectStore; signal?: AbortSignal },
): Promise<InputBytes> {
  const maxBytes = deps.config.MAX_UPLOAD_BYTES;
  try {
    const key = storedImageKey(url);
    if (key !== undefined) {
      const bytes = await deps.storage.get(key);
      if (!bytes) {
        throw new ApiError(422, "image_not_found", "image", `No stored image ${key.slice(0, 80)}`);
      }
      return { bytes, sha256: sha256Hex(bytes), storedKey: key };
    }
    if (isStorageUri(url)) {
      const bytes = await readStorageFile(resolveStorageUri(url, deps.config, field), maxBytes, field);
      return { bytes, sha256: sha256Hex(bytes) };
    }
    if (/^https?:\/\//i.test(url)) {
      const fetched = await guardedFetch(url, { maxBytes, signal: deps.signal });
      return { bytes: fetched.bytes, sha256: sha256Hex(fetched.bytes) };
    }
    throw new ApiError(
      422,
      "unsupported_image_url",
      "validation",
      "Image URLs must be http(s), storage://NAME/path or an uploaded image (backdrop://files/…)",
    );
  } catch (error) {
    throw inputError(error, field);
  }
}
