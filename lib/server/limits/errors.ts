import "server-only";

import { ApiError } from "../errors";

export type RateLimitState = { limit: number; remaining: number; resetSeconds: number };

/** The `RateLimit-*` header set Claid documents, plus `Retry-After` for generic HTTP clients. */
export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    "RateLimit-Limit": String(state.limit),
    "RateLimit-Remaining": String(Math.max(0, state.remaining)),
    "RateLimit-Reset": String(state.resetSeconds),
  };
}

export function rateLimited(engine: string, state: RateLimitState): ApiError {
  return new ApiError(
    429,
    "rate_limited",
    "general",
    `Too many ${engine} generations: at most ${state.limit} a minute. Try again in ${state.resetSeconds} s`,
    { engine, limit_per_minute: state.limit, retry_after_seconds: state.resetSeconds },
    { ...rateLimitHeaders(state), "Retry-After": String(state.resetSeconds) },
  );
}

export function uploadsRateLimited(state: RateLimitState): ApiError {
  return new ApiError(
    429,
    "rate_limited",
    "general",
    `Too many uploads and imports: at most ${state.limit} a minute. Try again in ${state.resetSeconds} s`,
    { limit_per_minute: state.limit, retry_after_seconds: state.resetSeconds },
    { ...rateLimitHeaders(state), "Retry-After": String(state.resetSeconds) },
  );
}

export function budgetSpent(input: {
  limit: number;
  used: number;
  requested: number;
  resetsAt: Date;
}): ApiError {
  return new ApiError(
    402,
    "daily_budget_exceeded",
    "billing",
    input.limit === 0
      ? "You have no daily budget for claid images: ask an admin, or draft with the local engine"
      : `This would take your claid images today to ${input.used + input.requested}, over your daily budget of ${input.limit}. Draft with the local engine, or ask an admin`,
    {
      limit: input.limit,
      used: input.used,
      requested: input.requested,
      resets_at: input.resetsAt.toISOString(),
    },
  );
}
