import "server-only";

import { randomUUID } from "node:crypto";

import { errors } from "../errors";
import { errorResponse } from "./respond";

/** Every method a route file may export; Next answers any other with its own 405. */
export const HTTP_METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

type NextContext = { params: Promise<unknown> };
export type Handler = (request: Request, next?: NextContext) => Promise<Response>;
type Declared = Partial<Record<HttpMethod, Handler>>;

/**
 * Handlers this module made for what a route does not serve itself: the access table lists only the
 * methods a route declares, and the route-access test tells the two apart with `isFallback`.
 */
const fallbacks = new WeakSet<Handler>();

function fallback(handler: Handler): Handler {
  fallbacks.add(handler);
  return handler;
}

export function isFallback(handler: unknown): boolean {
  return typeof handler === "function" && fallbacks.has(handler as Handler);
}

function requestId(request: Request): string {
  return request.headers.get("x-request-id")?.slice(0, 100) || randomUUID();
}

/** What `Allow` says for a route declaring `declared`: those, HEAD with GET, and OPTIONS. */
export function allowedMethods(declared: readonly HttpMethod[]): HttpMethod[] {
  const allowed = new Set<HttpMethod>([...declared, "OPTIONS"]);
  if (allowed.has("GET")) allowed.add("HEAD");
  return HTTP_METHODS.filter((method) => allowed.has(method));
}

/**
 * The methods a route file does not declare, to export next to the ones it does:
 *
 *     export const { HEAD, OPTIONS, PUT, PATCH, DELETE } = otherMethods({ GET, POST });
 *
 * HEAD answers as GET does (the handler sees a GET; Node sends no body), OPTIONS answers 204 with `Allow`, and every other
 * method 405 `method_not_allowed` in the error envelope with `Allow`. Without these, Next answers an
 * undeclared method with an empty 405 and no `Allow`, which no client can read.
 */
export function otherMethods<const D extends Declared>(
  declared: D,
): Record<Exclude<HttpMethod, keyof D>, Handler> {
  const names = HTTP_METHODS.filter((method) => declared[method] !== undefined);
  const allowed = allowedMethods(names);
  const allow = allowed.join(", ");
  const out: Partial<Record<HttpMethod, Handler>> = {};
  for (const method of HTTP_METHODS) {
    if (declared[method]) continue;
    const get = declared.GET;
    out[method] =
      method === "HEAD" && get
        ? fallback((request, next) => get(new Request(request, { method: "GET" }), next))
        : method === "OPTIONS"
          ? fallback(async () => new Response(null, { status: 204, headers: { allow } }))
          : fallback(async (request) =>
              errorResponse(errors.methodNotAllowed(request.method, allowed), requestId(request)),
            );
  }
  // Every method not declared has been given a handler above.
  return out as Record<Exclude<HttpMethod, keyof D>, Handler>;
}

/**
 * Every method of a path nothing serves: 404 `not_found` in the error envelope. For the catch-all
 * routes under `/api` (and `/v1`, `/v1-ea`, rewritten there), where Next would answer an HTML page, or
 * for a POST, "Server Action unavailable."
 */
export function nothingHere(describe: (request: Request) => string): Record<HttpMethod, Handler> {
  const handler = fallback(async (request) =>
    errorResponse(errors.notFoundPath(describe(request)), requestId(request)),
  );
  return Object.fromEntries(HTTP_METHODS.map((method) => [method, handler])) as Record<HttpMethod, Handler>;
}
