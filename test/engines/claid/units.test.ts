import { describe, expect, it } from "vitest";

import { connectDelay, rateLimitDelay } from "@/lib/server/engines/claid/retry";
import { MemoryUploadCache } from "@/lib/server/engines/claid/upload-cache";
import { unwrapErrorBody, upstreamError } from "@/lib/server/engines/claid/upstream-errors";

const details = { error_code: "x", error_type: "general", error_message: "m", error_details: { a: 1 } };
const encode = (v: unknown) => new TextEncoder().encode(typeof v === "string" ? v : JSON.stringify(v));

describe("upstream error bodies", () => {
  it("reads HttpErrorDetails flat and wrapped in detail, and nothing else", () => {
    expect(unwrapErrorBody(details)).toEqual(details);
    expect(unwrapErrorBody({ detail: details })).toEqual(details);
    expect(unwrapErrorBody({ detail: "Not Found" })).toBeUndefined();
    expect(unwrapErrorBody({ error_code: "x", error_type: "nonsense", error_message: "m" })).toBeUndefined();
    expect(unwrapErrorBody(null)).toBeUndefined();
  });

  it("keeps a 4xx status and body, adding the upstream request id", () => {
    const error = upstreamError(
      { status: 402, body: encode({ detail: details }), headers: {}, requestId: "r-1" },
      "op",
    );
    expect(error.status).toBe(402);
    expect(error.toBody()).toEqual({ ...details, error_details: { a: 1, upstream_request_id: "r-1" } });
  });

  it("names the fields of a framework-style 422", () => {
    const body = { detail: [{ loc: ["body", "object", "scale"], msg: "too big", type: "x" }] };
    const error = upstreamError({ status: 422, body: encode(body), headers: {} }, "op");
    expect(error.status).toBe(422);
    expect(error.details).toEqual({ fields: { "object.scale": ["too big"] } });
  });

  it("turns unreadable bodies and 5xx into 502", () => {
    expect(upstreamError({ status: 429, body: encode("<html>"), headers: {} }, "op").status).toBe(502);
    expect(upstreamError({ status: 400, body: encode({ detail: [] }), headers: {} }, "op").status).toBe(502);
    const e503 = upstreamError({ status: 503, body: encode(details), headers: {} }, "op");
    expect(e503.status).toBe(502);
    expect(e503.details).toMatchObject({ upstream_status: 503, upstream_error_code: "x" });
  });
});

describe("retry delays", () => {
  const policy = (random: number, capMs = 30_000) => ({ maxRetries: 2, capMs, random: () => random });

  it("waits RateLimit-Reset seconds, up to a fifth more, never past the cap", () => {
    expect(rateLimitDelay(3, policy(0))).toBe(3000);
    expect(rateLimitDelay(3, policy(1))).toBe(3600);
    expect(rateLimitDelay(3, policy(0.5, 2000))).toBe(2000);
    expect(rateLimitDelay(0, policy(1))).toBe(50);
  });

  it("waits one second when the reset is missing or nonsense", () => {
    expect(rateLimitDelay(undefined, policy(0))).toBe(1000);
    expect(rateLimitDelay(-4, policy(0))).toBe(1000);
  });

  it("backs off connection retries exponentially under the cap", () => {
    expect([0, 1, 2].map((a) => connectDelay(a, policy(0)))).toEqual([250, 500, 1000]);
    expect(connectDelay(6, policy(0, 5000))).toBe(5000);
  });
});

describe("upload cache", () => {
  it("forgets an entry once it expires", async () => {
    let now = 1_000;
    const cache = new MemoryUploadCache(100, () => now);
    await cache.set("k", "https://u");
    expect(await cache.get("k")).toBe("https://u");
    now += 99;
    expect(await cache.get("k")).toBe("https://u");
    now += 1;
    expect(await cache.get("k")).toBeUndefined();
    expect(await cache.get("other")).toBeUndefined();
  });
});
