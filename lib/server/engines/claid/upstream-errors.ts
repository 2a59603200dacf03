import "server-only";

import { httpErrorDetails, type HttpErrorDetails } from "@/lib/scene/contract";

import { errors, relayed, type ApiError } from "../../errors";
import type { TransportError } from "./transport";

/** Rate-limit headers Claid documents; passed on so a client can pace itself. */
export const RATE_LIMIT_HEADERS = ["ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Claid answers `HttpErrorDetails`, sometimes wrapped as `{ "detail": {...} }` (seen on 429). */
export function unwrapErrorBody(body: unknown): HttpErrorDetails | undefined {
  const direct = httpErrorDetails.safeParse(body);
  if (direct.success) return direct.data;
  if (isRecord(body)) {
    const wrapped = httpErrorDetails.safeParse(body.detail);
    if (wrapped.success) return wrapped.data;
  }
  return undefined;
}

/**
 * A framework-level validation answer (`{ "detail": [{ loc, msg }] }`) as field errors, so a 422 the
 * upstream phrases that way still names the fields.
 */
function validationDetail(body: unknown): Record<string, string[]> | undefined {
  if (!isRecord(body) || !Array.isArray(body.detail) || body.detail.length === 0) return undefined;
  const fields: Record<string, string[]> = {};
  for (const item of body.detail) {
    if (!isRecord(item) || !Array.isArray(item.loc) || typeof item.msg !== "string") return undefined;
    const path =
      item.loc
        .filter((p) => p !== "body")
        .map(String)
        .join(".") || "body";
    (fields[path] ??= []).push(item.msg);
  }
  return fields;
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch {
    return undefined;
  }
}

export type UpstreamAnswer = {
  status: number;
  body: Uint8Array;
  headers: Record<string, string | undefined>;
  requestId?: string;
};

/**
 * An upstream error answer as our error. 4xx keep their status and body; a 5xx is the upstream's
 * failure, not ours, so it becomes 502 (with the upstream status in the details); a body that is not
 * `HttpErrorDetails` becomes 502 too, because there is nothing trustworthy to pass on.
 */
export function upstreamError(answer: UpstreamAnswer, what: string): ApiError {
  const trace = answer.requestId ? { upstream_request_id: answer.requestId } : {};
  const passHeaders: Record<string, string> = {};
  for (const name of RATE_LIMIT_HEADERS) {
    const value = answer.headers[name];
    if (value !== undefined) passHeaders[name] = value;
  }
  const parsed = parseJson(answer.body);
  const details = unwrapErrorBody(parsed);

  if (answer.status >= 500) {
    return errors.upstreamUnavailable(
      details ? `${what} failed upstream: ${details.error_message}` : `${what} failed upstream`,
      {
        ...trace,
        upstream_status: answer.status,
        ...(details
          ? { upstream_error_code: details.error_code, upstream_error_type: details.error_type }
          : {}),
      },
    );
  }
  if (details && answer.status >= 400) {
    return relayed(
      answer.status,
      details,
      {
        ...details.error_details,
        ...trace,
        // Kept in the body too, so a generation that failed this way can answer with the same headers later.
        ...(Object.keys(passHeaders).length ? { rate_limit: passHeaders } : {}),
      },
      passHeaders,
    );
  }
  const fields = answer.status === 422 ? validationDetail(parsed) : undefined;
  if (fields) {
    return errors.upstreamRejected(fields, trace);
  }
  return errors.upstreamUnavailable(
    `${what}: the upstream answered ${answer.status} with an unreadable body`,
    {
      ...trace,
      upstream_status: answer.status,
    },
  );
}

/** A transport failure as our error: a time-out is 504, every other failure 502. */
export function transportError(error: TransportError, what: string): ApiError {
  // `sent`: the request may have reached the upstream, which may have acted on it (and charged).
  const details = { reason: error.kind, sent: error.sent, ...(error.code ? { code: error.code } : {}) };
  switch (error.kind) {
    case "timeout":
      return errors.upstreamTimeout(`${what} timed out`, details);
    case "connect":
      return errors.upstreamUnavailable(`${what}: could not connect to the upstream`, details);
    case "too_large":
      return errors.upstreamUnavailable(`${what}: the answer was too large`, details);
    case "aborted":
      return errors.cancelled(`${what} was cancelled`, details);
    case "dropped":
      return errors.upstreamUnavailable(`${what}: the connection broke before an answer arrived`, details);
  }
}
