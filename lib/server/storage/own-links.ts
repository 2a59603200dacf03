import "server-only";

import { fileHref, storedImageKey } from "@/lib/scene/image-ref";

import { ownOrigins } from "../auth/csrf";
import type { Config } from "../config";
import { isStorageKey } from "./index";

type OriginConfig = Pick<Config, "AUTH_URL" | "PUBLIC_BASE_URL" | "PORT">;

const FILES_PATH = fileHref("");

/**
 * The stored key behind one of our own file links (`<our origin>/api/files/<key>`, as `tmp_url`
 * hands them out), whatever its query (a signed link's). Claid clients pass the `tmp_url` of an
 * upload or an edit on to the next call; neither engine could fetch it from outside (it is ours and
 * needs a sign-in), so both read the file itself instead.
 */
export function ownFileKey(url: string, config: OriginConfig): string | undefined {
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  if (!ownOrigins(config).includes(parsed.origin.toLowerCase())) return undefined;
  if (!parsed.pathname.startsWith(FILES_PATH)) return undefined;
  const key = parsed.pathname.slice(FILES_PATH.length);
  return isStorageKey(key) ? key : undefined;
}

/** The key of an image held here: `backdrop://files/<key>`, or one of our own file links. */
export function heldImageKey(url: string, config: OriginConfig): string | undefined {
  return storedImageKey(url) ?? ownFileKey(url, config);
}
