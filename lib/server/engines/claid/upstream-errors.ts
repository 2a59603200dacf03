import "server-only";

import type { IncomingHttpHeaders } from "node:http";

import { ERROR_TYPES, type ErrorType } from "@/lib/scene/contract";

import { ApiError, errors } from "../../errors";
import { redact } from "../../log";
import { headerValue, type CallError } from "./http-call";

export type UpstreamErrorBody = {
  error_code: string;
  error_type: ErrorType;
  error_message: string;
  error_details: Record<string, unknown>;
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asErrorBody(value: unknown): UpstreamErrorBody | undefined {
  if (!isRecord(value)) return undefined;
  const { error_code, error_type, error_message, error_details } = value;
  if (typeof error_code !== "string" || typeof error_message !== "string") return undefined;
  if (error_details !== undefined && !isRecord(error_details)) return undefined;
  // An error type this contract version does not list still carries a usable code and message.
  const type = (ERROR_TYPES as readonly unknown[]).includes(error_type)
    ? (error_type as ErrorType)
    : "general";
  return { error_code, error_type: type, error_message, error_details: error_details ?? {} };
}

/** FastAPI's own validation answer, `{ detail: [{ loc, msg }] }`, as field paths. */
function fastApiFields(detail: unknown): Record<string, string[]> | undefined {
  if (!Array.isArray(detail) || detail.length === 0) return undefined;
  const fields: Record<string, string[]> = {};
  for (const item of detail) {
    if (!isRecord(item) || !Array.isArray(item.loc) || typeof item.msg !== "string") return undefined;
    const path =
      item.loc
        .filter((part, i) => !(i === 0 && part === "body"))
        .map(String)
        .join(".") || "body";
    (fields[path] ??= []).push(item.msg);
  }
  return fields;
}

/**
 * An upstream error body in `HttpErrorDetails` shape: flat, or wrapped as `{ detail: {...} }` (Claid
 * answers 429 that way). Anything else is `undefined`.
 */
export function unwrapErrorBody(value: unknown): UpstreamErrorBody | undefined {
  const flat = asErrorBody(value);
  if (flat) return flat;
  if (isRecord(value) && "detail" in value) {
    const wrapped = asErrorBody(value.detail);
    if (wrapped) return wrapped;
    const fields = fastApiFields(value.detail);
    if (fields) {
      return {
        error_code: "validation_error",
        error_type: "validation",
        error_message: "Claid refused the request",
        error_details: { fields },
      };
    }
  }
  return undefined;
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}

/** The upstream's text may quote what it was sent; the key must never travel on from here. */
function scrub<T>(value: T): T {
  return JSON.parse(redact(JSON.stringify(value))) as T;
}

const RATE_LIMIT_HEADERS = [
  "ratelimit-limit",
  "ratelimit-remaining",
  "ratelimit-reset",
  "ratelimit",
  "ratelimit-policy",
];

/** Rate-limit headers travel with a 429 so our own clients can wait just as long. */
function passedHeaders(status: number, headers: IncomingHttpHeaders): Record<string, string> {
  if (status !== 429) return {};
  const out: Record<string, string> = {};
  for (const name of RATE_LIMIT_HEADERS) {
    const value = headerValue(headers, name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * A non-2xx upstream answer as our error. 4xx with a readable `HttpErrorDetails` body pass through with
 * their status and body; a 5xx is the upstream's failure, not the caller's, so it becomes 502 carrying
 * the upstream's status and message; an unreadable body becomes 502.
 */
export function upstreamError(
  status: number,
  headers: IncomingHttpHeaders,
  body: Buffer,
  upstreamRequestId: string | undefined,
): ApiError {
  const parsed = unwrapErrorBody(parseJson(body));
  const ids = upstreamRequestId ? { upstream_request_id: upstreamRequestId } : {};
  if (parsed && status >= 400 && status < 500) {
    const safe = scrub(parsed);
    return new ApiError(
      status,
      safe.error_code,
      safe.error_type,
      safe.error_message,
      { ...safe.error_details, ...ids },
      passedHeaders(status, headers),
    );
  }
  if (parsed && status >= 500) {
    const safe = scrub(parsed);
    return errors.upstreamUnavailable(`Claid failed (${status}): ${safe.error_message}`, {
      upstream_status: status,
      upstream_error_code: safe.error_code,
      ...ids,
    });
  }
  return new ApiError(
    502,
    "upstream_bad_response",
    "general",
    `Claid answered ${status} with a body that is not an error description`,
    { upstream_status: status, ...ids },
  );
}

export function badUpstreamAnswer(message: string, upstreamRequestId: string | undefined): ApiError {
  return new ApiError(502, "upstream_bad_response", "general", message, {
    ...(upstreamRequestId ? { upstream_request_id: upstreamRequestId } : {}),
  });
}

/** A call that produced no HTTP answer as our error: 504 for a time-out, 502 otherwise. */
export function callFailureError(error: CallError, operation: string, attempts: number): ApiError {
  const failure = error.failure;
  const details = { operation, attempts };
  switch (failure.kind) {
    case "timeout":
      return errors.upstreamTimeout(`Claid did not answer ${operation} in time`, details);
    case "too_large":
      return new ApiError(
        502,
        "upstream_bad_response",
        "general",
        `Claid's answer to ${operation} is too large`,
        details,
      );
    case "aborted":
      return new ApiError(499, "cancelled", "general", `The ${operation} call was cancelled`, details);
    case "not_sent":
      return errors.upstreamUnavailable(
        `Could not reach Claid for ${operation} (${failure.code ?? "connection failed"})`,
        {
          ...details,
          reason: failure.code ?? "connection_failed",
        },
      );
    case "sent":
      return errors.upstreamUnavailable(
        `The connection to Claid broke during ${operation}; it was not repeated because Claid may have processed it`,
        { ...details, reason: failure.code ?? "connection_broken" },
      );
  }
}
