import "server-only";

import { z } from "zod";

import { attachmentDisposition } from "@/lib/scene/download-name";
import { storableString } from "@/lib/scene/storable";

import { isStorageKey, storeFor } from ".";
import { getConfig, type Config } from "../config";
import { mimeOfExt } from "./mime";
import { signedLinkQuery } from "./signed-links";

/** The `[key]` segment of a file route. */
export const fileKeyParams = z.object({ key: storableString() });

/** How long a presigned bucket URL handed out by a redirect stays valid. */
export const PRESIGNED_URL_SECONDS = 300;

export type FileResponseOptions = {
  download?: boolean;
  /** The downloaded file's name, without its extension (a content-addressed key says nothing to a person). */
  name?: string;
  /**
   * With `S3_PUBLIC_REDIRECT` and files in a bucket: answer with a redirect to a short-lived presigned
   * bucket URL, so the bytes never pass through this server. For links followed as a navigation or by
   * an API client; an image a page embeds stays on our origin, which is all its CSP allows.
   */
  redirect?: boolean;
};

/**
 * `GET /api/files/:key` query: `download` (any value) saves the file instead of showing it, under
 * `name` when given; `expires` and `signature` make it a signed link. Other keys are ignored, as a
 * CDN or a shop may add their own.
 */
export const fileQuery = signedLinkQuery.extend({
  download: z.string().max(10).optional(),
  name: storableString().max(200).optional(),
});

/**
 * A stored file as a response: content type from the key's extension (set from sniffed bytes when the
 * file was stored), `nosniff`, and a year of caching because a key never changes content. The bytes
 * stream from wherever they are stored (disk or bucket); the response exists only once they do.
 */
export async function fileResponse(
  key: string,
  options: FileResponseOptions = {},
  config: Config = getConfig(),
): Promise<Response | undefined> {
  if (!isStorageKey(key)) return undefined;
  const store = storeFor(config);
  const ext = key.slice(key.lastIndexOf(".") + 1);
  const fileName = options.name ?? `backdrop-${key.slice(0, 12)}`;
  if (options.redirect && config.S3_PUBLIC_REDIRECT && store.presignedUrl) {
    // A missing file is our 404, not the bucket's error page behind a redirect.
    if (!(await store.stat(key))) return undefined;
    const location = await store.presignedUrl(key, {
      ...(options.download ? { disposition: attachmentDisposition(fileName, ext) } : {}),
      expiresInSeconds: PRESIGNED_URL_SECONDS,
    });
    return new Response(null, {
      status: 302,
      headers: { location, "cache-control": "no-store", "referrer-policy": "no-referrer" },
    });
  }
  const opened = await store.open(key);
  if (!opened) return undefined;
  const headers = new Headers({
    "content-type": mimeOfExt(ext),
    "content-length": String(opened.size),
    "x-content-type-options": "nosniff",
    "cache-control": "private, max-age=31536000, immutable",
    "content-security-policy": "default-src 'none'; sandbox",
  });
  if (options.download) headers.set("content-disposition", attachmentDisposition(fileName, ext));
  return new Response(opened.body, { headers });
}
