import "server-only";

import type { Config } from "../config";

/** The origin our absolute URLs use: `PUBLIC_BASE_URL` when set, else the request's own. */
export function publicOrigin(request: Request, config: Config): string {
  return config.PUBLIC_BASE_URL ?? new URL(request.url).origin;
}
