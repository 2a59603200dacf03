import "server-only";

import { z } from "zod";

import { attachmentDisposition } from "@/lib/scene/download-name";
import { storableString } from "@/lib/scene/storable";

import { isStorageKey, objectStoreFor } from ".";
import { getConfig, type Config } from "../config";
import { mimeOfExt } from "./mime";
import { signedLinkQuery } from "./signed-links";

/** The `[key]` segment of a file route. */
export const fileKeyParams = z.object({ key: storableString() });

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
 * file was stored), `nosniff`, and a year of caching because a key never changes content.
 */
export async function fileResponse(
  key: string,
  options: { download?: boolean; name?: string } = {},
  config: Config = getConfig(),
) {
  if (!isStorageKey(key)) return undefined;
  const store = objectStoreFor(config.DATA_DIR);
  const stat = await store.stat(key);
  const body = stat && (await store.stream(key));
  if (!stat || !body) return undefined;
  const ext = key.slice(key.lastIndexOf(".") + 1);
  const headers = new Headers({
    "content-type": mimeOfExt(ext),
    "content-length": String(stat.size),
    "x-content-type-options": "nosniff",
    "cache-control": "private, max-age=31536000, immutable",
    "content-security-policy": "default-src 'none'; sandbox",
  });
  if (options.download)
    headers.set(
      "content-disposition",
      attachmentDisposition(options.name ?? `backdrop-${key.slice(0, 12)}`, ext),
    );
  return new Response(body, { headers });
}
