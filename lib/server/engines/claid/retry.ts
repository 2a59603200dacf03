import "server-only";

import { setTimeout as sleep } from "node:timers/promises";

import { errors } from "../../errors";

/**
 * When a failed call may be repeated. Every scene call costs credits, so only two failures qualify:
 * a 429 (the upstream refused before doing any work) and a connection that never opened (nothing was
 * sent). A time-out, a 5xx or a connection broken after sending are never repeated.
 */

export type RetryPolicy = {
  maxRetries: number;
  capMs: number;
  /** Test seam for the jitter; `Math.random` otherwise. */
  random?: () => number;
};

/** Without a `RateLimit-Reset` header, wait this long before repeating a 429. */
const DEFAULT_RESET_SECONDS = 1;
const CONNECT_BACKOFF_MS = 250;

function withJitter(baseMs: number, capMs: number, random: () => number): number {
  // Up to a fifth more than asked, so that callers refused together do not all return together.
  const jittered = baseMs + random() * Math.max(baseMs * 0.2, 50);
  return Math.round(Math.min(capMs, jittered));
}

export function rateLimitDelay(resetSeconds: number | undefined, policy: RetryPolicy): number {
  const seconds = resetSeconds !== undefined && resetSeconds >= 0 ? resetSeconds : DEFAULT_RESET_SECONDS;
  return withJitter(seconds * 1000, policy.capMs, policy.random ?? Math.random);
}

export function connectDelay(attempt: number, policy: RetryPolicy): number {
  return withJitter(CONNECT_BACKOFF_MS * 2 ** attempt, policy.capMs, policy.random ?? Math.random);
}

export async function waitBeforeRetry(delayMs: number, signal?: AbortSignal): Promise<void> {
  try {
    await sleep(delayMs, undefined, signal ? { signal } : undefined);
  } catch (error) {
    if (signal?.aborted) throw errors.cancelled("The request was cancelled while waiting to retry");
    throw error;
  }
}
