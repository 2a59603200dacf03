// Pacing of Claid calls through the database: slots obey both sliding windows, one at a time across
// instances, the upstream's own RateLimit answers slow them further; and against the stand-in
// enforcing Claid's limits, a burst of calls gets no 429.
import { drizzle } from "drizzle-orm/node-postgres";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import type { Db } from "@/lib/server/db/client";
import { createPool, endPool } from "@/lib/server/db/pool";
import { callClaid } from "@/lib/server/engines/claid/client";
import {
  backgroundLimits,
  blockUpstream,
  MINUTE_MARGIN_MS,
  pauseAsked,
  SECOND_MARGIN_MS,
  takeSlot,
  upstreamPacer,
  type PaceLimits,
} from "@/lib/server/limits/upstream-pace";
import { createLogger } from "@/lib/server/log";
import { startClaidStandin, type ClaidStandin } from "@/test/support/claid-standin";

import { DRIVERS, openGenerationDeps, type TestDeps } from "../generations/support";
import { TEST_CLAID_KEY } from "../support/config";

const LIMITS = { perSecond: 4, perMinute: 120 };
const SECOND = 1000 + SECOND_MARGIN_MS;
const MINUTE = 60_000 + MINUTE_MARGIN_MS;
const log = createLogger({ test: "pacing" });

/** The most of `times` (sorted) inside any window of `ms` (half-open, as a sliding window counts). */
function mostWithin(times: readonly number[], ms: number): number {
  let most = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[end] ?? 0) - (times[start] ?? 0) >= ms) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

describe.each(DRIVERS)("upstream pacing on %s", (driver) => {
  let deps: TestDeps;
  let upstream = "";
  let n = 0;

  beforeAll(async () => {
    deps = await openGenerationDeps(driver);
  }, 240_000);
  afterAll(async () => {
    await deps?.close();
  });
  beforeEach(() => {
    // Each test paces an upstream of its own: the slots of one never count in another.
    upstream = `test-${driver}-${++n}`;
  });

  /** Asks for slots on a simulated clock, jumping to each hinted time, and answers when each was granted. */
  async function grantsOn(take: PaceLimits | undefined, count: number, t0: Date) {
    const slots: number[] = [];
    let now = t0.getTime();
    while (slots.length < count) {
      const slot = await takeSlot(deps.db, upstream, LIMITS, { take, now: new Date(now) });
      if (slot.granted) {
        expect(slot.waitMs).toBe(0);
        slots.push(now - t0.getTime());
      } else {
        expect(slot.waitMs).toBeGreaterThan(0);
        now += slot.waitMs;
      }
    }
    return slots;
  }

  it("grants 4 a second and 120 a minute, never more in any window", async () => {
    const slots = await grantsOn(undefined, 250, new Date("2030-01-01T00:00:00.000Z"));
    // Four at once, then four more each time the second window has passed.
    expect(slots.slice(0, 9)).toEqual([0, 0, 0, 0, SECOND, SECOND, SECOND, SECOND, 2 * SECOND]);
    expect(slots[119]).toBe(29 * SECOND);
    // The 121st waits for the first to leave the minute window.
    expect(slots[120]).toBe(MINUTE);
    expect(slots[124]).toBe(Math.max(MINUTE + SECOND, (slots[4] ?? 0) + MINUTE));
    expect(mostWithin(slots, SECOND)).toBe(4);
    expect(mostWithin(slots, MINUTE)).toBe(120);
  });

  it("campaign calls leave one a second and four a minute for people", async () => {
    const t0 = new Date("2030-06-01T00:00:00.000Z");
    const background = await grantsOn(backgroundLimits(LIMITS), 116, t0);
    expect(mostWithin(background, SECOND)).toBe(3);
    expect(background.at(-1)).toBe(38 * SECOND);
    // The campaign has the minute's share it may take; a person's call still goes at once.
    const at = new Date(t0.getTime() + 38 * SECOND);
    expect(
      await takeSlot(deps.db, upstream, LIMITS, { take: backgroundLimits(LIMITS), now: at }),
    ).toMatchObject({
      granted: false,
    });
    expect(await takeSlot(deps.db, upstream, LIMITS, { now: at })).toMatchObject({
      granted: true,
      waitMs: 0,
    });
  });

  it("instances sharing the database take slots one at a time: of 40 concurrent takers, 4 get one", async () => {
    // A second instance: on PostgreSQL its own pool, as another server process has.
    const pool =
      driver === "postgres"
        ? createPool(deps.config.DATABASE_URL ?? "", { max: 4, name: "other" })
        : undefined;
    const other = pool ? (drizzle(pool) as unknown as Db) : deps.db;
    try {
      const now = new Date("2031-01-01T00:00:00.000Z");
      const taken = await Promise.all(
        Array.from({ length: 40 }, (_, i) => takeSlot(i % 2 ? other : deps.db, upstream, LIMITS, { now })),
      );
      expect(taken.filter((t) => t.granted)).toHaveLength(4);
      expect(new Set(taken.filter((t) => !t.granted).map((t) => t.waitMs))).toEqual(new Set([SECOND]));
    } finally {
      if (pool) await endPool(pool);
    }
  });

  it("a pause the upstream asked for holds every slot back until it ends", async () => {
    await blockUpstream(deps.db, upstream, 30);
    const slot = await takeSlot(deps.db, upstream, LIMITS);
    expect(slot.granted).toBe(false);
    expect(slot.waitMs).toBeGreaterThan(29_000);
    expect(slot.waitMs).toBeLessThanOrEqual(30_000);
    // A shorter pause asked for later does not shorten the longer one.
    await blockUpstream(deps.db, upstream, 1);
    expect((await takeSlot(deps.db, upstream, LIMITS)).waitMs).toBeGreaterThan(29_000);
  });

  it("reads a pause from a 429 or from RateLimit-Remaining: 0, and nothing from an answer with room left", () => {
    expect(pauseAsked({ status: 429, headers: { "ratelimit-reset": "7" } })).toBe(7);
    expect(pauseAsked({ status: 429, headers: { "retry-after": "3" } })).toBe(3);
    expect(pauseAsked({ status: 429, headers: {} })).toBe(1);
    expect(
      pauseAsked({ status: 200, headers: { "ratelimit-remaining": "0", "ratelimit-reset": "12" } }),
    ).toBe(12);
    expect(
      pauseAsked({ status: 200, headers: { "ratelimit-remaining": "5", "ratelimit-reset": "12" } }),
    ).toBeUndefined();
    expect(pauseAsked({ status: 200, headers: {} })).toBeUndefined();
  });

  describe("against the stand-in enforcing Claid's limits", () => {
    let standin: ClaidStandin;
    const call = (pacer: ReturnType<typeof upstreamPacer>, maxRetries = 2) =>
      callClaid(
        {
          path: "/v1/scene/create",
          body: new TextEncoder().encode(
            JSON.stringify({
              object: { image_url: "https://images.example.com/product.png" },
              scene: { prompt: "on a marble table" },
              output: { number_of_images: 1 },
            }),
          ),
          contentType: "application/json",
          timeoutMs: 30_000,
          what: "scene/create",
        },
        {
          config: {
            CLAID_API_KEY: TEST_CLAID_KEY,
            CLAID_API_BASE_URL: standin.url,
            CLAID_MAX_RETRIES: maxRetries,
            // The client's own wait before repeating a 429 is cut short: only the pacer holds it back.
            CLAID_RETRY_CAP_MS: 20,
          },
          log,
          pacer,
        },
      );

    beforeAll(async () => {
      standin = await startClaidStandin({ apiKey: TEST_CLAID_KEY, imageSize: 8 });
    });
    afterAll(async () => {
      await standin?.close();
    });
    beforeEach(() => {
      standin.reset();
      standin.setOptions({ rateLimits: LIMITS, delayMs: 300 });
    });

    it("24 calls at once arrive at most 4 in any second, with no 429", async () => {
      const pacer = upstreamPacer(deps.db, upstream, LIMITS);
      await Promise.all(Array.from({ length: 24 }, () => call(pacer, 0)));
      const arrivals = standin.callsTo("/v1/scene/create").map((c) => c.at);
      expect(arrivals).toHaveLength(24);
      expect(standin.calls.filter((c) => c.rateLimited)).toHaveLength(0);
      const sorted = [...arrivals].sort((a, b) => a - b);
      expect(mostWithin(sorted, 1000)).toBeLessThanOrEqual(4);
      // Held back by the pacer, not by chance: six groups of four, a paced second apart.
      expect((sorted.at(-1) ?? 0) - (sorted[0] ?? 0)).toBeGreaterThanOrEqual(5 * SECOND - 20);
    }, 60_000);

    it("without pacing the same burst is refused: the stand-in enforces the limit", async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 12 }, () =>
          callClaid(
            {
              path: "/v1/scene/create",
              body: new TextEncoder().encode("{}"),
              contentType: "application/json",
              timeoutMs: 30_000,
              what: "scene/create",
            },
            {
              config: {
                CLAID_API_KEY: TEST_CLAID_KEY,
                CLAID_API_BASE_URL: standin.url,
                CLAID_MAX_RETRIES: 0,
                CLAID_RETRY_CAP_MS: 20,
              },
              log,
            },
          ),
        ),
      );
      expect(
        results.filter((r) => r.status === "rejected" && String(r.reason).match(/too many/i)).length,
      ).toBe(8);
      expect(standin.calls.filter((c) => c.rateLimited)).toHaveLength(8);
    });

    it("a 429's RateLimit-Reset holds back the retry and every other call, however short the client's own wait", async () => {
      const pacer = upstreamPacer(deps.db, upstream, LIMITS);
      standin.setMode({ kind: "status", status: 429, times: 1, resetSeconds: 2 });
      await call(pacer);
      const [refused, retried] = standin.callsTo("/v1/scene/create");
      expect(refused && retried).toBeTruthy();
      expect((retried?.at ?? 0) - (refused?.at ?? 0)).toBeGreaterThanOrEqual(1900);
      // Another caller sharing the pacer waits for the same pause instead of trying its luck.
      standin.setMode({ kind: "status", status: 429, times: 1, resetSeconds: 2 });
      const first = call(pacer);
      await new Promise((r) => setTimeout(r, 400));
      await Promise.all([first, call(pacer)]);
      const calls = standin.callsTo("/v1/scene/create").slice(2);
      const pauseStart = calls[0]?.at ?? 0;
      expect(calls.slice(1).every((c) => c.at - pauseStart >= 1900)).toBe(true);
    }, 30_000);
  });
});
