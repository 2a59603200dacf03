import "server-only";

import type { z } from "zod";

import type { ErrorType, HttpErrorDetails } from "@/lib/scene/contract";

/**
 * The one error type route handlers throw. It always becomes an `HttpErrorDetails` body with `status`;
 * anything else thrown becomes a 500 whose message reveals nothing.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly type: ErrorType,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }

  toBody(): HttpErrorDetails {
    return {
      error_code: this.code,
      error_type: this.type,
      error_message: this.message,
      error_details: this.details,
    };
  }
}

/** Zod issues as `{ "object.position.x": ["Too big…"] }`; issues on the whole body go under `body`. */
export function fieldErrors(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []) {
  const fields: Record<string, string[]> = {};
  for (const issue of issues) {
    const path = [...prefix, ...issue.path].map(String).join(".") || "body";
    (fields[path] ??= []).push(issue.message);
  }
  return fields;
}

export const errors = {
  badJson: (reason: string) =>
    new ApiError(400, "bad_json", "validation", `The body is not valid JSON: ${reason}`),
  unsupportedMediaType: (expected: string) =>
    new ApiError(415, "unsupported_media_type", "validation", `The body must be sent as ${expected}`),
  tooLarge: (limitBytes: number) =>
    new ApiError(413, "payload_too_large", "validation", `The body is larger than ${limitBytes} bytes`, {
      limit_bytes: limitBytes,
    }),
  validation: (issues: readonly z.core.$ZodIssue[], message = "The request does not match the contract") =>
    new ApiError(422, "validation_error", "validation", message, { fields: fieldErrors(issues) }),
  invalid: (field: string, message: string, code = "validation_error") =>
    new ApiError(422, code, "validation", message, { fields: { [field]: [message] } }),
  notFound: (what: string) => new ApiError(404, "not_found", "general", `${what} was not found`),
  methodNotAllowed: () => new ApiError(405, "method_not_allowed", "general", "Method not allowed"),
  unauthenticated: () => new ApiError(401, "unauthenticated", "auth", "Sign in or send a valid bearer token"),
  forbidden: (message = "Not enough permissions") => new ApiError(403, "forbidden", "auth", message),
  serverStopping: () =>
    new ApiError(503, "server_stopping", "general", "The server is restarting. Try again in a moment.", {}, {
      "retry-after": "5",
    }),
  upstreamUnavailable: (message: string, details: Record<string, unknown> = {}) =>
    new ApiError(502, "upstream_unavailable", "general", message, details),
  upstreamTimeout: (message: string, details: Record<string, unknown> = {}) =>
    new ApiError(504, "upstream_timeout", "general", message, details),
};

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
