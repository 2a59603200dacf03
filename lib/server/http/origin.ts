import "server-only";

import { getConfig, type Config } from "../config";

/**
 * The origin our absolute URLs use: `PUBLIC_BASE_URL` when set, else the one the caller used, read
 * from the `Host` header (under `next start`, `request.url` says `localhost` whatever address was used).
 * Behind a TLS-terminating proxy, set `PUBLIC_BASE_URL`.
 */
export function publicOrigin(
  request: Request,
  config: Pick<Config, "PUBLIC_BASE_URL"> = getConfig(),
): string {
  if (config.PUBLIC_BASE_URL) return config.PUBLIC_BASE_URL;
  const url = new URL(request.url);
  const host = request.headers.get("host");
  return host && /^[a-z0-9.\-[\]:]+$/i.test(host) ? `${url.protocol}//${host}` : url.origin;
}
