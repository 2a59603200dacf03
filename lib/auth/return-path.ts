/**
 * Where a page may send the browser next (`/sign-in?next=…`, the single sign-on callback): only a path
 * on the app's own origin. Browsers are lenient readers: they drop tabs and newlines anywhere, treat `\`
 * as `/`, and take `//host`, `/\host` and `https:host` as other sites. So the value is parsed exactly as
 * a browser parses it, against the app's origin, and only its path, query and fragment are kept. Shared
 * by the server (the sign-in page) and the browser (the sign-in form), so it is pure.
 */

/** The origin relative values are read against when the app's own is not known: absolute URLs then fail. */
export const PLACEHOLDER_ORIGIN = "http://backdrop.invalid";

const MAX_LENGTH = 2048;
/** C0 and C1 controls (which parsers drop or read differently) and backslashes (read as `/`). */
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\\]/;
/** `%2F` and `%5C` in a path turn into another origin for any router that decodes once more. */
const ENCODED_SEPARATOR = /%(?:2f|5c)/i;

function pathOn(value: string, origin: string): string | undefined {
  if (UNSAFE_CHARACTERS.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return undefined;
  }
  if (url.origin !== origin) return undefined;
  if (ENCODED_SEPARATOR.test(url.pathname)) return undefined;
  const path = url.pathname + url.search + url.hash;
  // `/.//host` and `/a/..//host` parse as same-origin paths `//host`, which a browser then reads as a host.
  if (!path.startsWith("/") || path.startsWith("//")) return undefined;
  return path;
}

/**
 * `value` as a path on `origin` (path, query and fragment), or undefined when it is not a string, or a
 * browser could read it, or it decoded once more, as another origin.
 */
export function sameOriginPath(value: unknown, origin: string = PLACEHOLDER_ORIGIN): string | undefined {
  if (typeof value !== "string" || value === "" || value.length > MAX_LENGTH) return undefined;
  let own: string;
  try {
    own = new URL(origin).origin;
  } catch {
    return undefined;
  }
  const path = pathOn(value, own);
  if (path === undefined) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return undefined;
  }
  if (decoded !== value && pathOn(decoded, own) === undefined) return undefined;
  return path;
}
