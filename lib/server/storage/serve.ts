import "server-only";

import { isStorageKey, objectStoreFor } from ".";
import type { Config } from "../config";
import { mimeOfExt } from "./mime";

/**
 * A stored file as a response: content type from the key's extension (set from sniffed bytes when the
 * file was stored), `nosniff`, and a year of caching because a key never changes content.
 */
export async function fileResponse(config: Config, key: string, options: { download?: boolean } = {}) {
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
    headers.set("content-disposition", `attachment; filename="backdrop-${key.slice(0, 12)}.${ext}"`);
  return new Response(body, { headers });
}
