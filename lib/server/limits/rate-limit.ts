import "server-only";

import type pg from "pg";
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";

import { closeSignInLimits } from "../auth/sign-in-limits";
import type { Config, EngineName } from "../config";
import { createPool, endPool } from "../db/pool";
import { errors, type RateLimitState } from "../errors";

const WINDOW_SECONDS = 60;

function pointsFor(engine: EngineName, config: Config): number {
  return engine === "claid" ? config.RATE_LIMIT_CLAID_PER_MINUTE : config.RATE_LIMIT_LOCAL_PER_MINUTE;
}

// Limiters hold counters: one per process, however often Next loads this module.
const CACHE = Symbol.for("backdrop.rate-limiters");
type Cache = { limiters: Map<string, RateLimiterAbstract>; pools: Map<string, pg.Pool> };
type GlobalWithLimiters = typeof globalThis & { [CACHE]?: Cache };
const cache = ((globalThis as GlobalWithLimiters)[CACHE] ??= { limiters: new Map(), pools: new Map() });

/**
 * In-process counters for one instance; with `DATABASE_URL` the counters live in PostgreSQL so every
 * instance shares them (falling back to in-process counters if the database stops answering).
 */
function limiterFor(engine: EngineName, config: Config): RateLimiterAbstract {
  return limiterNamed(`generate-${engine}`, pointsFor(engine, config), config);
}

function limiterNamed(keyPrefix: string, points: number, config: Config): RateLimiterAbstract {
  const id = `${config.DATABASE_URL ?? "memory"}|${keyPrefix}|${points}`;
  let limiter = cache.limiters.get(id);
  if (limiter) return limiter;
  const options = { keyPrefix, points, duration: WINDOW_SECONDS };
  if (config.DATABASE_URL) {
    let pool = cache.pools.get(config.DATABASE_URL);
    if (!pool) {
      pool = createPool(config.DATABASE_URL, { max: 2, name: "rate limits" });
      cache.pools.set(config.DATABASE_URL, pool);
    }
    limiter = new RateLimiterPostgres({
      ...options,
      storeClient: pool,
      storeType: "pool",
      tableName: "rate_limit",
      // The table comes from our migrations.
      tableCreated: true,
      insuranceLimiter: new RateLimiterMemory(options),
    });
  } else {
    limiter = new RateLimiterMemory(options);
  }
  cache.limiters.set(id, limiter);
  return limiter;
}

function stateOf(res: RateLimiterRes, limit: number): RateLimitState {
  return {
    limit,
    remaining: res.remainingPoints,
    resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
  };
}

/** Takes one generation from the person's per-minute allowance for `engine`, or throws 429. */
export async function consumeRateLimit(
  userId: string,
  engine: EngineName,
  config: Config,
): Promise<RateLimitState> {
  const limit = pointsFor(engine, config);
  try {
    return stateOf(await limiterFor(engine, config).consume(userId, 1), limit);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw errors.rateLimited(engine, stateOf(rejection, limit));
    throw rejection;
  }
}

/**
 * Takes one upload or import from the person's per-minute allowance, or throws 429: each one can cost
 * the server a large decode, so a single person cannot keep the image queue full.
 */
export async function consumeUploadRateLimit(userId: string, config: Config): Promise<RateLimitState> {
  const limit = config.RATE_LIMIT_UPLOADS_PER_MINUTE;
  try {
    return stateOf(await limiterNamed("uploads", limit, config).consume(userId, 1), limit);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw errors.uploadsRateLimited(stateOf(rejection, limit));
    throw rejection;
  }
}

/** Closes the PostgreSQL pools the limiters (sign-in's too) opened (tests and scripts end with it). */
export async function closeRateLimiters(): Promise<void> {
  const pools = [...cache.pools.values()];
  cache.pools.clear();
  cache.limiters.clear();
  await Promise.all([...pools.map(endPool), closeSignInLimits()]);
}
