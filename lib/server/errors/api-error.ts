import "server-only";

import type { z } from "zod";

import type { ErrorType, HttpErrorDetails } from "@/lib/scene/contract";

/**
 * The one error type route handlers throw. It always becomes an `HttpErrorDetails` body with `status`;
 * anything else thrown becomes a 500 whose message reveals nothing. Our own errors are made by the
 * factories in `./catalog`, which decide status and type per code; the constructor is for those and
 * for answers relayed from the upstream as they came.
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

  /** The same error with more details (say, the request field it is about). */
  withDetails(extra: Record<string, unknown>): ApiError {
    return new ApiError(
      this.status,
      this.code,
      this.type,
      this.message,
      { ...this.details, ...extra },
      this.headers,
    );
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

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** Zod issues as `{ "object.position.x": ["Too big…"] }`; issues on the whole body go under `body`. */
export function fieldErrors(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []) {
  // A Map, not an object: a field may be called `toString` or `__proto__`.
  const fields = new Map<string, string[]>();
  for (const issue of issues) {
    const path = [...prefix, ...issue.path].map(String).join(".") || "body";
    fields.set(path, [...(fields.get(path) ?? []), issue.message]);
  }
  return Object.fromEntries(fields) as Record<string, string[]>;
}
