import "server-only";

import { randomUUID } from "node:crypto";

import { authorize, type Access, type Principal } from "../auth/authorize";
import { createLogger, type Logger } from "../log";
import { errorResponse } from "./respond";

export type RouteContext<P> = {
  request: Request;
  params: P;
  requestId: string;
  log: Logger;
  /** Who is calling; undefined only on `access: "public"` routes when nobody is signed in. */
  principal: Principal | undefined;
};

export type RouteOptions = {
  /** Who may call: checked by every route itself, before the handler runs. Default `member`. */
  access?: Access;
};

type NextContext<P> = { params: Promise<P> };
type Handler<P> = (ctx: RouteContext<P>) => Promise<Response>;

/**
 * Wraps a route handler: request id, access check, logging, and every error turned into
 * `HttpErrorDetails`, so each handler holds only its own logic.
 */
export function route<P = Record<string, never>>(
  handler: Handler<P>,
): (request: Request, next?: NextContext<P>) => Promise<Response>;
export function route<P = Record<string, never>>(
  options: RouteOptions,
  handler: Handler<P>,
): (request: Request, next?: NextContext<P>) => Promise<Response>;
export function route<P>(a: RouteOptions | Handler<P>, b?: Handler<P>) {
  const options: RouteOptions = typeof a === "function" ? {} : a;
  const handler = (typeof a === "function" ? a : b) as Handler<P>;
  const access = options.access ?? "member";
  return async (request: Request, next?: NextContext<P>): Promise<Response> => {
    const requestId = request.headers.get("x-request-id")?.slice(0, 100) || randomUUID();
    const logger = createLogger({ requestId, method: request.method, path: new URL(request.url).pathname });
    try {
      const principal = await authorize(request, access);
      const params = ((await next?.params) ?? {}) as P;
      const response = await handler({ request, params, requestId, log: logger, principal });
      response.headers.set("x-request-id", requestId);
      return response;
    } catch (error) {
      return errorResponse(error, requestId);
    }
  };
}
