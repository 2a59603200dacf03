import "server-only";

import type { Config } from "../config";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

type OriginConfig = Pick<Config, "AUTH_URL" | "PUBLIC_BASE_URL" | "PORT">;
type WriteOriginConfig = OriginConfig & Pick<Config, "AUTH_TRUSTED_ORIGINS">;

const LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"];

/**
 * The origins this install answers on: `AUTH_URL` and `PUBLIC_BASE_URL` when set; otherwise only
 * loopback on the server's own port (http, or https through a local TLS proxy). Never the request's
 * own `Host`: a page on a name that resolves to us (DNS rebinding) sends matching `Host` and `Origin`.
 */
export function ownOrigins(config: OriginConfig): string[] {
  const configured = [config.AUTH_URL, config.PUBLIC_BASE_URL]
    .filter((v): v is string => v !== undefined && URL.canParse(v))
    .map((v) => new URL(v).origin.toLowerCase());
  if (configured.length) return [...new Set(configured)];
  return LOOPBACK_HOSTS.flatMap((host) => [
    `http://${host}:${config.PORT}`,
    `https://${host}:${config.PORT}`,
  ]);
}

/** The `host[:port]` part of each own origin, as a `Host` header names it (the default port left out). */
function ownHosts(config: OriginConfig): Set<string> {
  return new Set(ownOrigins(config).map((origin) => new URL(origin).host));
}

/** The host a request was sent to: its `Host` header, or its URL's when there is none. */
export function requestHost(request: Request): string {
  return (request.headers.get("host") ?? new URL(request.url).host).toLowerCase();
}

/** Whether the request was sent to one of this install's own addresses. */
export function isOwnHost(request: Request, config: OriginConfig): boolean {
  const host = requestHost(request);
  const hosts = ownHosts(config);
  if (hosts.has(host)) return true;
  // A Host header may spell the scheme's default port out; the URL parser leaves it off.
  return ["http", "https"].some(
    (scheme) => URL.canParse(`${scheme}://${host}`) && hosts.has(new URL(`${scheme}://${host}`).host),
  );
}

/** Origins allowed to send cookie-authenticated writes: our own, and the ones configured as trusted. */
export function writeOrigins(config: WriteOriginConfig): string[] {
  const trusted = config.AUTH_TRUSTED_ORIGINS.filter((v) => URL.canParse(v)).map((v) =>
    new URL(v).origin.toLowerCase(),
  );
  return [...new Set([...ownOrigins(config), ...trusted])];
}

/**
 * A cookie-authenticated write must come from one of our own pages: browsers always send `Origin` on
 * such requests, so a missing or `null` one is refused, and `Sec-Fetch-Site`, when sent, must say
 * same-origin.
 */
export function isSameOriginWrite(request: Request, config: WriteOriginConfig): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin") return false;
  const origin = request.headers.get("origin");
  if (!origin || origin === "null") return false;
  return writeOrigins(config).includes(origin.toLowerCase());
}
