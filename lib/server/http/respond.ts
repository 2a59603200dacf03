import "server-only";

import { errors, isApiError } from "../errors";
import { log } from "../log";

export function json(body: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json; charset=utf-8");
  headers.set("cache-control", headers.get("cache-control") ?? "no-store");
  return new Response(JSON.stringify(body), { ...init, headers });
}

/** Any thrown thing as an `HttpErrorDetails` response; unexpected errors are logged, never revealed. */
export function errorResponse(error: unknown, requestId?: string): Response {
  const apiError = isApiError(error) ? error : errors.internal(requestId);
  if (!isApiError(error)) {
    log.error("unhandled error", {
      requestId,
      error:
        error instanceof Error
          ? { name: error.name, message: error.message, stack: error.stack }
          : String(error),
    });
  }
  const headers = new Headers(apiError.headers);
  if (requestId) headers.set("x-request-id", requestId);
  return json(apiError.toBody(), { status: apiError.status, headers });
}
