import "server-only";

import type { Config } from "../../config";
import { errors, isApiError } from "../../errors";
import { guardedFetch } from "../../net/guarded-fetch";
import type { ObjectStore } from "../../storage";
import { sha256Hex } from "../../storage";
import { heldImageKey } from "../../storage/own-links";
import { isStorageUri, readStorageFile, resolveStorageUri } from "./storages";

export type InputBytes = { bytes: Buffer; sha256: string; storedKey?: string };

/** Names the request field in an input error, so the client knows which URL failed. */
export function inputError(error: unknown, field: string): unknown {
  if (!isApiError(error)) return error;
  const fields = { [field]: [error.message] };
  if (error.status === 415) return errors.unsupportedImage(error.message, { ...error.details, fields });
  return error.withDetails({ fields });
}

/**
 * The bytes behind an `image_url` / `template_url` / `input`: our own storage (`backdrop://files/<key>`
 * or one of our own file links), a configured storage (`storage://NAME/path`), or http(s) through the
 * guarded fetcher.
 */
export async function readInput(
  url: string,
  field: string,
  deps: { config: Config; storage: ObjectStore; signal?: AbortSignal },
): Promise<InputBytes> {
  const maxBytes = deps.config.MAX_UPLOAD_BYTES;
  try {
    const key = heldImageKey(url, deps.config);
    if (key !== undefined) {
      const bytes = await deps.storage.get(key);
      if (!bytes) {
        throw errors.imageNotFound(`No stored image ${key.slice(0, 80)}`);
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
    throw errors.unsupportedImageUrl();
  } catch (error) {
    throw inputError(error, field);
  }
}
