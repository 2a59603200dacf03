import "server-only";

import type { Config } from "../config";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

/**
 * The origins a request's own `Host` header names. `request.url` cannot be used: under `next start` it
 * says `localhost` whatever address the browser used. Trusting the Host header here is safe because a
 * page on another site cannot make a browser send our cookies with a matching `Host` and `Origin`.
 * https is accepted too, for a TLS-terminating proxy in front of plain http.
 */
export function requestOrigins(request: Request): string[] {
  const host = request.headers.get("host");
  if (!host || !/^[a-z0-9.\-[\]:]+$/i.test(host)) return [];
  const scheme = new URL(request.url).protocol.replace(/:$/, "");
  return [...new Set([`${scheme}://${host}`, `https://${host}`])].map((o) => o.toLowerCase());
}

/** Origins the app answers on: the configured ones and the request's own. */
export function appOrigins(
  request: Request,
  config: Pick<Config, "AUTH_URL" | "PUBLIC_BASE_URL" | "AUTH_TRUSTED_ORIGINS">,
) {
  const configured = [config.AUTH_URL, config.PUBLIC_BASE_URL, ...config.AUTH_TRUSTED_ORIGINS]
    .filter((v): v is string => v !== undefined && URL.canParse(v))
    .map((v) => new URL(v).origin);
  return [...new Set([...configured, new URL(request.url).origin, ...requestOrigins(request)])];
}

/**
 * A cookie-authenticated write must come from one of our own pages: browsers always send `Origin` on
 * such requests, so a missing or `null` one is refused, and `Sec-Fetch-Site`, when sent, must say
 * same-origin.
 */
export function isSameOriginWrite(
  request: Request,
  config: Pick<Config, "AUTH_URL" | "PUBLIC_BASE_URL" | "AUTH_TRUSTED_ORIGINS">,
): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin") return false;
  const origin = request.headers.get("origin");
  if (!origin || origin === "null") return false;
  return appOrigins(request, config).includes(origin.toLowerCase());
}
