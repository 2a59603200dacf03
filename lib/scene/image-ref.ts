/**
 * Images stored on this server are referenced as `backdrop://files/<key>`: a valid URI for the contract,
 * independent of the host name. The local engine reads them from storage; the claid engine first sends
 * them through Claid's upload API, because Claid cannot reach this server.
 */
export const STORED_IMAGE_PREFIX = "backdrop://files/";

export function storedImageUrl(key: string): string {
  return `${STORED_IMAGE_PREFIX}${key}`;
}

export function storedImageKey(url: string): string | undefined {
  return url.startsWith(STORED_IMAGE_PREFIX) ? url.slice(STORED_IMAGE_PREFIX.length) : undefined;
}

/** Where the browser (signed in) fetches a stored file. */
export function fileHref(key: string): string {
  return `/api/files/${key}`;
}
