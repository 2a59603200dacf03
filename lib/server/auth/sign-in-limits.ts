import "server-only";

import type pg from "pg";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";

import { createPool, endPool } from "../db/pool";

/** What Better Auth asks of a rate-limit store: one attempt against `key`, allowed or not. */
export type AuthRateLimitStorage = {
  consume(
    key: string,
    rule: { window: number; max: number },
  ): Promise<{ allowed: boolean; retryAfter: number | null }>;
};

// Counters and their pool belong to the process, however often Next loads this module.
const KEY = Symbol.for("backdrop.sign-in-limits");
type State = { pool: pg.Pool | undefined; limiters: Map<string, RateLimiterPostgres> };
type WithState = typeof globalThis & { [KEY]?: State };
const state = ((globalThis as WithState)[KEY] ??= { pool: undefined, limiters: new Map() });

/**
 * Better Auth's own throttling (sign-in attempts per client address, and its other rules) on counters
 * in PostgreSQL, shared by every instance on the database like the generation limits: behind a load
 * balancer, an address gets its attempts once, not once per instance. If the database stops
 * answering, each instance counts in memory until it is back.
 */
export function sharedAuthRateLimits(databaseUrl: string): AuthRateLimitStorage {
  const limiterFor = (rule: { window: number; max: number }) => {
    const id = `${rule.window}|${rule.max}`;
    let limiter = state.limiters.get(id);
    if (!limiter) {
      state.pool ??= createPool(databaseUrl, { max: 2, name: "sign-in limits" });
      const options = {
        keyPrefix: `auth-${rule.window}-${rule.max}`,
        points: rule.max,
        duration: rule.window,
      };
      limiter = new RateLimiterPostgres({
        ...options,
        storeClient: state.pool,
        storeType: "pool",
        tableName: "rate_limit",
        // The table comes from our migrations.
        tableCreated: true,
        insuranceLimiter: new RateLimiterMemory(options),
      });
      state.limiters.set(id, limiter);
    }
    return limiter;
  };
  return {
    async consume(key, rule) {
      try {
        await limiterFor(rule).consume(key, 1);
        return { allowed: true, retryAfter: null };
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        return { allowed: false, retryAfter: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
      }
    },
  };
}

/** Closes the counters' pool (stopping, tests). */
export async function closeSignInLimits(): Promise<void> {
  const pool = state.pool;
  state.pool = undefined;
  state.limiters.clear();
  if (pool) await endPool(pool);
}
