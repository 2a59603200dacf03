import "server-only";

import type { Config } from "../../config";
import { errors } from "../../errors";
import type { Logger } from "../../log";
import type { UpstreamPacer } from "../types";
import { connectDelay, rateLimitDelay, waitBeforeRetry, type RetryPolicy } from "./retry";
import { headerNumber, headerValue, send, TransportError, type TransportResponse } from "./transport";
import { transportError, upstreamError } from "./upstream-errors";

/** Upstream JSON answers are small; anything bigger is not a Claid answer. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

export type ClaidCall = {
  path: string;
  body: Uint8Array;
  contentType: string;
  timeoutMs: number;
  /** Names the call in errors and logs. */
  what: string;
};

export type ClaidAnswer = { json: unknown; requestId?: string; attempts: number };

export type ClaidClientOptions = {
  config: Pick<Config, "CLAID_API_KEY" | "CLAID_API_BASE_URL" | "CLAID_MAX_RETRIES" | "CLAID_RETRY_CAP_MS">;
  log: Logger;
  signal?: AbortSignal;
  random?: () => number;
  /** Paces every attempt, retries included, and hears what the upstream says of its limits. */
  pacer?: UpstreamPacer;
  /** Called before each attempt is sent, once it may go (see EngineContext.beforeUpstreamCall). */
  beforeSend?: () => Promise<void>;
};

function flatHeaders(response: TransportResponse): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const name of Object.keys(response.headers)) out[name] = headerValue(response.headers, name);
  return out;
}

/**
 * Calls to the Claid API with the bearer key, a time-out per call, and the retry rules of `retry.ts`.
 * Resolves with the parsed JSON of a 2xx answer; every failure is thrown as an `ApiError`.
 */
export async function callClaid(call: ClaidCall, options: ClaidClientOptions): Promise<ClaidAnswer> {
  const { config, log, signal } = options;
  const key = config.CLAID_API_KEY;
  if (!key) throw errors.engineUnavailable("claid");
  const policy: RetryPolicy = {
    maxRetries: config.CLAID_MAX_RETRIES,
    capMs: config.CLAID_RETRY_CAP_MS,
    ...(options.random ? { random: options.random } : {}),
  };
  const url = `${config.CLAID_API_BASE_URL}${call.path}`;

  for (let attempt = 0; ; attempt++) {
    const slot = await options.pacer?.acquire(signal);
    await options.beforeSend?.();
    slot?.sending();
    const started = performance.now();
    let response: TransportResponse;
    try {
      response = await send({
        method: "POST",
        url,
        headers: {
          authorization: `Bearer ${key}`,
          "content-type": call.contentType,
          accept: "application/json",
        },
        body: call.body,
        timeoutMs: call.timeoutMs,
        maxResponseBytes: MAX_ANSWER_BYTES,
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      const canRetry = error.kind === "connect" && !error.sent && attempt < policy.maxRetries;
      log.warn(`claid ${call.what}: ${error.kind}`, {
        path: call.path,
        attempt: attempt + 1,
        code: error.code,
        sent: error.sent,
        retrying: canRetry,
        ms: Math.round(performance.now() - started),
      });
      if (!canRetry) throw transportError(error, call.what);
      await waitBeforeRetry(connectDelay(attempt, policy), signal);
      continue;
    }

    const headers = flatHeaders(response);
    await options.pacer?.observe({ status: response.status, headers }).catch((error: unknown) =>
      // Pacing is advice: failing to note it must not lose an answer that may be paid for.
      log.warn(`claid ${call.what}: rate-limit headers not noted`, {
        error: error instanceof Error ? error.message : String(error),
      }),
    );
    const requestId = headers["x-request-id"];
    const ms = Math.round(performance.now() - started);
    if (response.status >= 200 && response.status < 300) {
      let json: unknown;
      try {
        json = JSON.parse(response.body.toString("utf8")) as unknown;
      } catch {
        log.error(`claid ${call.what}: unreadable success answer`, {
          path: call.path,
          upstreamRequestId: requestId,
        });
        throw errors.upstreamUnavailable(`${call.what}: the upstream answer is not JSON`, {
          upstream_status: response.status,
          ...(requestId ? { upstream_request_id: requestId } : {}),
        });
      }
      log.info(`claid ${call.what}`, {
        path: call.path,
        status: response.status,
        upstreamRequestId: requestId,
        attempt: attempt + 1,
        ms,
      });
      return { json, attempts: attempt + 1, ...(requestId ? { requestId } : {}) };
    }

    const canRetry = response.status === 429 && attempt < policy.maxRetries;
    log.warn(`claid ${call.what}: upstream answered ${response.status}`, {
      path: call.path,
      status: response.status,
      upstreamRequestId: requestId,
      attempt: attempt + 1,
      retrying: canRetry,
      ms,
    });
    if (!canRetry) {
      throw upstreamError(
        { status: response.status, body: response.body, headers, ...(requestId ? { requestId } : {}) },
        call.what,
      );
    }
    // Claid documents RateLimit-Reset; Retry-After is the generic HTTP spelling of the same wait.
    const resetSeconds =
      headerNumber(response.headers["ratelimit-reset"]) ?? headerNumber(response.headers["retry-after"]);
    await waitBeforeRetry(rateLimitDelay(resetSeconds, policy), signal);
  }
}
