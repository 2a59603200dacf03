import "server-only";

import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";

import type { Config } from "../config";
import { rowsOf, type Db } from "../db/client";
import { upstreamPace, upstreamSlots } from "../db/schema/pacing";
import { errors } from "../errors";

export type PaceLimits = { perSecond: number; perMinute: number };

/**
 * Paces the calls to an upstream that every instance sharing the database makes together, to the
 * upstream's limits (see `limits/upstream-pace.ts`).
 */
export interface UpstreamPacer {
  /**
   * Waits until one more call may be made; rejects when `signal` aborts. Call `sending` on what it
   * answers just before the request goes out: later decisions count the call from then.
   */
  acquire(signal?: AbortSignal): Promise<{ sending(): void }>;
  /** What the upstream answered about its limits (`RateLimit-*`, a 429), to slow down further. */
  observe(answer: { status: number; headers: Record<string, string | undefined> }): Promise<void>;
}

/**
 * A call reaches the upstream a little after its slot (a busy event loop, the network), and two calls
 * that the windows let through a second apart must not arrive closer than that: each window is
 * counted this much longer than the upstream counts it.
 */
export const SECOND_MARGIN_MS = 200;
export const MINUTE_MARGIN_MS = 500;
/** Slots older than this can no longer be in any window. */
const KEEP_SLOTS_MS = 5 * 60_000;
/** When the upstream asks to slow down without saying for how long. */
const DEFAULT_BLOCK_SECONDS = 1;

export function paceLimits(config: Pick<Config, "CLAID_CALLS_PER_SECOND" | "CLAID_CALLS_PER_MINUTE">) {
  return { perSecond: config.CLAID_CALLS_PER_SECOND, perMinute: config.CLAID_CALLS_PER_MINUTE };
}

/**
 * What campaign calls leave for people: one call a second, and a second's worth a minute, so a
 * person's Generate is never stuck behind a full window of campaign items.
 */
export function backgroundLimits(limits: PaceLimits): PaceLimits {
  return {
    perSecond: Math.max(1, limits.perSecond - 1),
    perMinute: Math.max(1, limits.perMinute - limits.perSecond),
  };
}

/**
 * Takes a slot for one call to `upstream` now, if the windows allow one now; otherwise answers how
 * long until they might. Decisions are made one at a time (the upstream's row is locked `FOR
 * UPDATE`, so every instance sharing the database waits its turn) and a slot is always "now" on the
 * database's clock, just before the call is sent: a call that slept late can never land closer to
 * the one before it than the windows allow. A slot is free when fewer than `take.perSecond` slots
 * lie in the last second, fewer than `take.perMinute` in the last minute (each window counted a
 * little longer than the upstream counts it), and no pause the upstream asked for is running.
 * `take` defaults to `limits`; campaign calls take less (see `backgroundLimits`).
 */
export async function takeSlot(
  db: Db,
  upstream: string,
  limits: PaceLimits,
  options: { take?: PaceLimits; now?: Date } = {},
): Promise<{ granted: boolean; waitMs: number; id: string }> {
  const take = options.take ?? limits;
  const id = randomUUID();
  const clock = options.now ? sql`${options.now.toISOString()}::timestamptz` : sql`clock_timestamp()`;
  return db.transaction(async (tx) => {
    await tx.insert(upstreamPace).values({ upstream }).onConflictDoNothing();
    await tx.select().from(upstreamPace).where(eq(upstreamPace.upstream, upstream)).for("update");
    // A new statement after the lock: it sees every slot committed before the lock was ours.
    const answer = await tx.execute(sql`
      with now_ as (select ${clock} as t),
      recent as (
        select ${upstreamSlots.at} as slot_at, row_number() over (order by ${upstreamSlots.at} desc) as n
        from ${upstreamSlots} where ${upstreamSlots.upstream} = ${upstream}
        order by ${upstreamSlots.at} desc limit ${Math.max(limits.perMinute, take.perMinute)}::integer
      ),
      free_at as (
        select greatest(
          (select ${upstreamPace.blockedUntil} from ${upstreamPace} where ${upstreamPace.upstream} = ${upstream}),
          (select slot_at from recent where n = ${take.perSecond}::integer)
            + make_interval(secs => ${(1000 + SECOND_MARGIN_MS) / 1000}::double precision),
          (select slot_at from recent where n = ${take.perMinute}::integer)
            + make_interval(secs => ${(60_000 + MINUTE_MARGIN_MS) / 1000}::double precision)
        ) as t
      ),
      forgotten as (
        delete from ${upstreamSlots}
        where ${upstreamSlots.upstream} = ${upstream}
          and ${upstreamSlots.at} < (select t from now_) - make_interval(secs => ${KEEP_SLOTS_MS / 1000}::double precision)
      ),
      taken as (
        insert into ${upstreamSlots} (id, upstream, at)
        select ${id}::text, ${upstream}::text, t from now_
        where coalesce((select t from free_at), '-infinity'::timestamptz) <= (select t from now_)
        returning at
      )
      select (select count(*) from taken)::integer as granted,
        greatest(0, extract(epoch from ((select t from free_at) - (select t from now_))) * 1000)::double precision
          as wait_ms`);
    const [row] = rowsOf(answer);
    return { granted: Number(row?.granted ?? 0) > 0, waitMs: Math.ceil(Number(row?.wait_ms ?? 0)), id };
  });
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

/**
 * Moves a slot to the moment its call actually went out, when that is later: a call held up after
 * its slot (a busy process) then counts from when the upstream really saw it.
 */
export async function markSending(db: Db, id: string): Promise<void> {
  await db
    .update(upstreamSlots)
    .set({ at: sql`greatest(${upstreamSlots.at}, clock_timestamp())` })
    .where(eq(upstreamSlots.id, id));
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

type Ticket = { sending(): void };

type Waiter = {
  background: boolean;
  resolve: (ticket: Ticket) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
};

/**
 * This process's calls to one upstream, waiting their turn. Only the first in line asks the database
 * for a slot (so a hundred waiting items cost one query per slot, not a hundred), people's calls
 * stand ahead of campaign items, and whoever is granted a slot is released at once to send.
 */
export class UpstreamPacing {
  private readonly waiters: Waiter[] = [];
  private pumping = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly db: Db,
    private readonly upstream: string,
    private readonly limits: PaceLimits,
  ) {}

  /** The pacer for people's calls, or with `background` for campaign items (they leave room in every window). */
  pacer(options: { background?: boolean } = {}): UpstreamPacer {
    const background = options.background ?? false;
    return {
      acquire: (signal) => this.acquire(background, signal),
      observe: async (answer) => {
        const seconds = pauseAsked(answer);
        if (seconds === undefined) return;
        await blockUpstream(this.db, this.upstream, seconds);
      },
    };
  }

  private acquire(background: boolean, signal: AbortSignal | undefined): Promise<Ticket> {
    const cancelled = () => errors.cancelled("The request was cancelled while waiting for its turn");
    if (signal?.aborted) return Promise.reject(cancelled());
    return new Promise<Ticket>((resolve, reject) => {
      const waiter: Waiter = {
        background,
        resolve,
        reject,
        signal,
        onAbort: () => {
          this.remove(waiter);
          reject(cancelled());
          this.wake?.();
        },
      };
      signal?.addEventListener("abort", waiter.onAbort, { once: true });
      // People ahead of every campaign item, each kind in the order it arrived.
      const at = background ? this.waiters.length : this.waiters.findIndex((w) => w.background);
      this.waiters.splice(at === -1 ? this.waiters.length : at, 0, waiter);
      if (!background) this.wake?.();
      void this.pump();
    });
  }

  private remove(waiter: Waiter): void {
    const index = this.waiters.indexOf(waiter);
    if (index !== -1) this.waiters.splice(index, 1);
    waiter.signal?.removeEventListener("abort", waiter.onAbort);
  }

  /** Slots whose call is going out: the next decision waits until they count from their real time. */
  private readonly sendings = new Set<Promise<void>>();

  private ticket(id: string): Ticket {
    let sent = false;
    return {
      sending: () => {
        if (sent) return;
        sent = true;
        const marked = markSending(this.db, id).catch(() => undefined);
        this.sendings.add(marked);
        void marked.then(() => this.sendings.delete(marked));
      },
    };
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.waiters.length > 0) {
        await Promise.all(this.sendings);
        const head = this.waiters[0];
        if (!head) break;
        const take = head.background ? backgroundLimits(this.limits) : this.limits;
        let slot: Awaited<ReturnType<typeof takeSlot>>;
        try {
          slot = await takeSlot(this.db, this.upstream, this.limits, { take });
        } catch (error) {
          // Without the database nobody can know whether a call may go: this one fails unsent.
          this.remove(head);
          head.reject(error);
          continue;
        }
        if (slot.granted) {
          // The slot is taken: it goes to whoever is first now (the head may have given up meanwhile).
          const first = this.waiters[0];
          if (first) {
            this.remove(first);
            first.resolve(this.ticket(slot.id));
          }
          continue;
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, slot.waitMs);
          function done() {
            clearTimeout(timer);
            resolve();
          }
          // A person arriving, or the head giving up, is looked at before the wait ends.
          this.wake = done;
        });
        this.wake = undefined;
      }
    } finally {
      this.pumping = false;
    }
  }
}

/** One pacing per upstream and database in this process, however often the runner starts. */
const PACINGS = new WeakMap<Db, Map<string, UpstreamPacing>>();

export function upstreamPacing(db: Db, upstream: string, limits: PaceLimits): UpstreamPacing {
  const perDb = PACINGS.get(db) ?? new Map<string, UpstreamPacing>();
  PACINGS.set(db, perDb);
  const key = `${upstream}|${limits.perSecond}|${limits.perMinute}`;
  let pacing = perDb.get(key);
  if (!pacing) {
    pacing = new UpstreamPacing(db, upstream, limits);
    perDb.set(key, pacing);
  }
  return pacing;
}

/** The pacer of people's calls (or, with `background`, campaign items') to `upstream` through `db`. */
export function upstreamPacer(
  db: Db,
  upstream: string,
  limits: PaceLimits,
  options: { background?: boolean } = {},
): UpstreamPacer {
  return upstreamPacing(db, upstream, limits).pacer(options);
}
