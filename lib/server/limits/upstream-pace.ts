import "server-only";

import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { eq, sql } from "drizzle-orm";

import type { Config } from "../config";
import { rowsOf, type Db } from "../db/client";
import { upstreamPace, upstreamSlots } from "../db/schema/pacing";
import type { UpstreamPacer } from "../engines/types";
import { errors } from "../errors";

export type PaceLimits = { perSecond: number; perMinute: number };

/**
 * A call reaches the upstream a little after its slot (a busy event loop, the network), and two calls
 * that the windows let through a second apart must not arrive closer than that: each window is
 * counted this much longer than the upstream counts it.
 */
export const SECOND_MARGIN_MS = 100;
export const MINUTE_MARGIN_MS = 250;
/** Slots older than this can no longer be in any window. */
const KEEP_SLOTS_MS = 5 * 60_000;
/** When the upstream asks to slow down without saying for how long. */
const DEFAULT_BLOCK_SECONDS = 1;

export function paceLimits(config: Pick<Config, "CLAID_CALLS_PER_SECOND" | "CLAID_CALLS_PER_MINUTE">) {
  return { perSecond: config.CLAID_CALLS_PER_SECOND, perMinute: config.CLAID_CALLS_PER_MINUTE };
}

/**
 * Takes the next free slot for one call to `upstream` and answers how long to wait for it. Slots
 * are decided one at a time (the upstream's row is locked `FOR UPDATE`, so every instance sharing the
 * database waits its turn) and never out of order: a slot is no earlier than the last one, at least
 * a second after the `perSecond`-th latest, a minute after the `perMinute`-th latest, and after any
 * block the upstream asked for. A slot may lie in the future: its call waits for it, and it already
 * counts in the windows, so the calls behind it queue up rather than storm.
 */
export async function takeSlot(
  db: Db,
  upstream: string,
  limits: PaceLimits,
  now?: Date,
): Promise<{ at: Date; waitMs: number }> {
  const clock = now ? sql`${now.toISOString()}::timestamptz` : sql`clock_timestamp()`;
  return db.transaction(async (tx) => {
    await tx.insert(upstreamPace).values({ upstream }).onConflictDoNothing();
    await tx.select().from(upstreamPace).where(eq(upstreamPace.upstream, upstream)).for("update");
    // A new statement after the lock: it sees every slot committed before the lock was ours.
    const answer = await tx.execute(sql`
      with now_ as (select ${clock} as t),
      recent as (
        select ${upstreamSlots.at} as slot_at, row_number() over (order by ${upstreamSlots.at} desc) as n
        from ${upstreamSlots} where ${upstreamSlots.upstream} = ${upstream}
        order by ${upstreamSlots.at} desc limit ${limits.perMinute}::integer
      ),
      next_slot as (
        select greatest(
          (select t from now_),
          (select ${upstreamPace.blockedUntil} from ${upstreamPace} where ${upstreamPace.upstream} = ${upstream}),
          (select max(slot_at) from recent),
          (select slot_at from recent where n = ${limits.perSecond}::integer)
            + make_interval(secs => ${(1000 + SECOND_MARGIN_MS) / 1000}::double precision),
          (select slot_at from recent where n = ${limits.perMinute}::integer)
            + make_interval(secs => ${(60_000 + MINUTE_MARGIN_MS) / 1000}::double precision)
        ) as slot_at
      ),
      forgotten as (
        delete from ${upstreamSlots}
        where ${upstreamSlots.upstream} = ${upstream}
          and ${upstreamSlots.at} < (select t from now_) - make_interval(secs => ${KEEP_SLOTS_MS / 1000}::double precision)
      ),
      taken as (
        insert into ${upstreamSlots} (id, upstream, at)
        select ${randomUUID()}::text, ${upstream}::text, slot_at from next_slot
        returning at as slot_at
      )
      select to_char(slot_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as slot_at,
        greatest(0, extract(epoch from (slot_at - (select t from now_))) * 1000)::double precision as wait_ms
      from taken`);
    const [row] = rowsOf(answer);
    if (!row) throw new Error("no pacing slot was taken");
    return { at: new Date(String(row.slot_at)), waitMs: Math.ceil(Number(row.wait_ms)) };
  });
}

/** Whether the upstream asked for a pause after `at` was granted: that slot's call must wait again. */
async function blockedPast(db: Db, upstream: string, at: Date): Promise<boolean> {
  const [row] = await db
    .select({ blockedUntil: upstreamPace.blockedUntil })
    .from(upstreamPace)
    .where(eq(upstreamPace.upstream, upstream));
  return Boolean(row?.blockedUntil && row.blockedUntil > at);
}

function headerSeconds(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * What an answer says about the upstream's limits: a 429, or `RateLimit-Remaining: 0`, means no call
 * may go before `RateLimit-Reset` seconds have passed. Answers the pause in seconds, if any.
 */
export function pauseAsked(answer: {
  status: number;
  headers: Record<string, string | undefined>;
}): number | undefined {
  const remaining = headerSeconds(answer.headers["ratelimit-remaining"]);
  if (answer.status !== 429 && remaining !== 0) return undefined;
  return (
    headerSeconds(answer.headers["ratelimit-reset"]) ??
    headerSeconds(answer.headers["retry-after"]) ??
    DEFAULT_BLOCK_SECONDS
  );
}

/** Blocks every slot of `upstream` until `seconds` from now (or later, if a longer block stands). */
export async function blockUpstream(db: Db, upstream: string, seconds: number): Promise<void> {
  await db
    .insert(upstreamPace)
    .values({
      upstream,
      blockedUntil: sql`clock_timestamp() + make_interval(secs => ${seconds}::double precision)`,
    })
    .onConflictDoUpdate({
      target: upstreamPace.upstream,
      set: {
        blockedUntil: sql`greatest(coalesce(${upstreamPace.blockedUntil}, '-infinity'::timestamptz),
          clock_timestamp() + make_interval(secs => ${seconds}::double precision))`,
      },
    });
}

/** The pacer the claid engine's calls go through, shared through `db` by every instance. */
export function upstreamPacer(db: Db, upstream: string, limits: PaceLimits): UpstreamPacer {
  return {
    async acquire(signal) {
      for (;;) {
        if (signal?.aborted) throw errors.cancelled("The request was cancelled while waiting for its turn");
        const slot = await takeSlot(db, upstream, limits);
        if (slot.waitMs <= 0) return;
        try {
          await sleep(slot.waitMs, undefined, signal ? { signal } : undefined);
        } catch (error) {
          if (signal?.aborted) throw errors.cancelled("The request was cancelled while waiting for its turn");
          throw error;
        }
        if (!(await blockedPast(db, upstream, slot.at))) return;
      }
    },
    async observe(answer) {
      const seconds = pauseAsked(answer);
      if (seconds !== undefined) await blockUpstream(db, upstream, seconds);
    },
  };
}
