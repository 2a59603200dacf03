import "server-only";

import { randomUUID } from "node:crypto";

import { createLogger, type Logger } from "../log";
import { errorResponse } from "./respond";

export type RouteContext<P> = {
  request: Request;
  params: P;
  requestId: string;
  log: Logger;
};

type NextContext<P> = { params: Promise<P> };

/**
 * Wraps a route handler: request id, logging, and every error turned into `HttpErrorDetails`, so each
 * handler holds only its own logic.
 */
export function route<P = Record<string, never>>(handler: (ctx: RouteContext<P>) => Promise<Response>) {
  return async (request: Request, next?: NextContext<P>): Promise<Response> => {
    const requestId = request.headers.get("x-request-id")?.slice(0, 100) || randomUUID();
    const logger = createLogger({ requestId, method: request.method, path: new URL(request.url).pathname });
    try {
      const params = ((await next?.params) ?? {}) as P;
      const response = await handler({ request, params, requestId, log: logger });
      response.headers.set("x-request-id", requestId);
      return response;
    } catch (error) {
      return errorResponse(error, requestId);
    }
  };
}
