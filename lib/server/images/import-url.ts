import "server-only";

import { z } from "zod";

import { uriString } from "@/lib/scene/contract";

import type { Principal } from "../auth/principal";
import { getConfig } from "../config";
import { errors, isApiError } from "../errors";
import { consumeUploadRateLimit } from "../limits/rate-limit";
import { guardedFetch } from "../net/guarded-fetch";
import { imageLimitsFrom, intakeImage, type StoredImage } from "./intake";
import { imageWorkQueue, withImageAdmission } from "./work-queue";

export const importRequest = z.strictObject({ url: uriString });

/** A fetched file that is not an image we take is the URL's fault, not the client's media type. */
export function importedImageError(error: unknown): unknown {
  if (isApiError(error) && error.status === 415) {
    return errors.urlNotImage(error.message, error.details);
  }
  return error;
}

/** Fetches bytes from a user's URL through the guarded fetcher, limited to the upload limit. */
export async function fetchImageBytes(url: string, signal?: AbortSignal): Promise<Uint8Array> {
  const config = getConfig();
  const fetched = await guardedFetch(url, { maxBytes: config.MAX_UPLOAD_BYTES, signal });
  return fetched.bytes;
}

/**
 * An import: the person's allowance (shared with uploads), a place in the image queue (503 past it,
 * before anything is fetched), the file, and its intake.
 */
export async function importImageFromUrl(body: unknown, principal?: Principal): Promise<StoredImage> {
  const parsed = importRequest.safeParse(body);
  if (!parsed.success) throw errors.validation(parsed.error.issues);
  const config = getConfig();
  if (principal) await consumeUploadRateLimit(principal.userId, config);
  return withImageAdmission(imageWorkQueue(config), async () => {
    const bytes = await fetchImageBytes(parsed.data.url);
    try {
      return await intakeImage(bytes, { limits: imageLimitsFrom(config) });
    } catch (error) {
      throw importedImageError(error);
    }
  });
}
